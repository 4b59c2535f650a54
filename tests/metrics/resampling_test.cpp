// The two stages of every scorer (rrg/metrics/scorer.h) agree with scoring texts:
//   - aggregating the statistics of a resample (ids drawn with replacement) equals scoring the
//     resampled texts, for every lexical scorer and the clinical one (to 1e-12; in fact equal);
//   - each key's closed form (KeyAggregation: column sums through project/finish, or the mean of
//     one column) equals aggregate() on the same rows, which `rrg compare` relies on.
// CIDEr-D's document frequencies come from the references of the corpus scored, so its
// statistics keep the full test set's df: a resample drawn with replacement changes df when
// re-scored from text, a permutation does not; it is checked on permutations.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/metrics/clinical/clinical_scorer.h"
#include "rrg/metrics/driver.h"
#include "rrg/metrics/python_math.h"
#include "rrg/metrics/registry.h"
#include "support/radiology_reports.h"

namespace {

using rrg::metrics::KeyAggregation;
using rrg::metrics::MetricScores;
using rrg::metrics::SampleStatistics;
using rrg::metrics::Scorer;
using rrg::metrics::TextCorpus;

constexpr double kTolerance = 1e-12;

// 40 pairs of the test texts: hypothesis i, references i+7 and (every third sample) i+11.
TextCorpus test_corpus() {
  const auto& reports = rrg::testing::radiology_reports();
  TextCorpus corpus;
  for (std::size_t i = 0; i < 40; ++i) {
    corpus.hypotheses.push_back(reports[i % reports.size()]);
    std::vector<std::string> refs{reports[(i + 7) % reports.size()]};
    if (i % 3 == 0) refs.push_back(reports[(i + 11) % reports.size()]);
    corpus.references.push_back(refs);
  }
  return corpus;
}

TextCorpus select(const TextCorpus& corpus, const std::vector<std::size_t>& rows) {
  TextCorpus out;
  for (const std::size_t i : rows) {
    out.hypotheses.push_back(corpus.hypotheses[i]);
    out.references.push_back(corpus.references[i]);
  }
  return out;
}

std::vector<std::size_t> with_replacement(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<std::size_t> rows(n);
  for (auto& row : rows) row = pick(rng);
  return rows;
}

std::vector<std::size_t> permutation(std::size_t n, unsigned seed) {
  std::vector<std::size_t> rows(n);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  std::shuffle(rows.begin(), rows.end(), std::mt19937(seed));
  return rows;
}

void expect_same(double actual, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": " << actual;
    return;
  }
  EXPECT_NEAR(actual, expected, kTolerance) << what;
}

// The closed form of every key of `scorer` on `rows` of `stats`, against aggregate().
void expect_closed_forms(const Scorer& scorer, const SampleStatistics& stats,
                         const std::vector<std::size_t>& rows, const std::string& label) {
  const std::vector<double> aggregated = rrg::metrics::aggregate_rows(scorer, stats, rows);
  const auto keys = scorer.keys();
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const KeyAggregation aggregation = scorer.aggregation(k);
    double value = std::numeric_limits<double>::quiet_NaN();
    if (aggregation.kind == KeyAggregation::Kind::kSums) {
      std::vector<double> sums(aggregation.width, 0.0), row(aggregation.width);
      for (const std::size_t i : rows) {
        aggregation.project(stats.row(i), row.data());
        for (std::size_t c = 0; c < row.size(); ++c) sums[c] += row[c];
      }
      value = aggregation.finish(sums.data(), rows.size());
    } else if (aggregation.kind == KeyAggregation::Kind::kMean) {
      std::vector<double> values;
      for (const std::size_t i : rows) {
        const double v = stats.row(i)[aggregation.column];
        if (!std::isnan(v)) values.push_back(v);
      }
      value = values.empty() ? 0.0 : rrg::metrics::numpy_mean(values);
    } else {
      EXPECT_FALSE(keys[k].corpus) << label << " " << keys[k].name << " has no closed form";
      continue;
    }
    EXPECT_EQ(value, aggregated[k]) << label << " " << keys[k].name;
  }
}

class LexicalResampling : public ::testing::TestWithParam<std::string> {};

TEST_P(LexicalResampling, AggregatedResampleEqualsScoredResample) {
  const auto scorer = rrg::metrics::make_scorer(GetParam(), {});
  const TextCorpus corpus = test_corpus();
  const MetricScores full = rrg::metrics::score_corpus(*scorer, corpus);
  const bool cider = GetParam() == "coco-cider";
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const auto rows =
        cider ? permutation(corpus.size(), seed) : with_replacement(corpus.size(), seed);
    const std::vector<double> aggregated =
        rrg::metrics::aggregate_rows(*scorer, full.statistics, rows);
    const MetricScores rescored = rrg::metrics::score_corpus(*scorer, select(corpus, rows));
    for (std::size_t k = 0; k < full.names.size(); ++k) {
      expect_same(aggregated[k], rescored.corpus[k],
                  GetParam() + " " + full.names[k] + " seed " + std::to_string(seed));
    }
    expect_closed_forms(*scorer, full.statistics, rows, GetParam());
  }
}

std::vector<std::string> text_scorer_ids() {
  std::vector<std::string> ids;
  for (const auto& info : rrg::metrics::scorer_infos()) {
    if (info.needs == rrg::metrics::ScorerNeeds::kTexts) ids.push_back(info.id);
  }
  return ids;
}

INSTANTIATE_TEST_SUITE_P(EveryTextScorer, LexicalResampling, ::testing::ValuesIn(text_scorer_ids()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

// Inputs holding label rows only (the clinical scorer reads nothing else).
class LabelInputs final : public rrg::metrics::ScoringInputs {
 public:
  explicit LabelInputs(rrg::metrics::PairLabels labels) : labels_(std::move(labels)) {}
  std::size_t size() const override { return labels_.predictions.size(); }
  const TextCorpus& texts(rrg::metrics::TextConvention) override { return empty_; }
  std::string cleaner(rrg::metrics::TextConvention) const override { return "seed"; }
  const rrg::metrics::PairLabels& labels() override { return labels_; }
  const rrg::metrics::PairEmbeddings& embeddings() override {
    throw rrg::InputError("no embeddings");
  }

 private:
  rrg::metrics::PairLabels labels_;
  TextCorpus empty_;
};

rrg::metrics::PairLabels random_labels(std::size_t n, unsigned seed) {
  using rrg::chexpert::Label;
  const Label values[] = {Label::kPositive, Label::kNegative, Label::kUncertain,
                          Label::kBlank,    Label::kBlank,    Label::kBlank};
  std::mt19937 rng(seed);
  rrg::metrics::PairLabels labels;
  labels.labeler_identity = "test@1";
  for (std::size_t i = 0; i < n; ++i) {
    rrg::chexpert::LabelRow pred{}, ref{};
    for (std::size_t k = 0; k < rrg::chexpert::kNumObservations; ++k) {
      pred[k] = values[rng() % 6];
      ref[k] = rng() % 3 == 0 ? pred[k] : values[rng() % 6];
    }
    // No Finding is 1 or blank.
    pred[13] = rng() % 2 ? Label::kPositive : Label::kBlank;
    ref[13] = rng() % 2 ? Label::kPositive : Label::kBlank;
    labels.predictions.push_back(pred);
    labels.references.push_back(ref);
    // Every seventh pair could not be labelled: it is left out of every corpus value.
    labels.errors.push_back(i % 7 == 3 ? "prediction: unparsable answer" : "");
  }
  return labels;
}

TEST(ClinicalResampling, AggregatedResampleEqualsComputedResample) {
  const rrg::metrics::PairLabels labels = random_labels(60, 7);
  LabelInputs inputs(labels);
  const rrg::metrics::ClinicalScorer scorer;
  const MetricScores full = rrg::metrics::run_scorer(scorer, inputs);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const auto rows = with_replacement(labels.predictions.size(), seed);
    rrg::metrics::PairLabels resampled;
    resampled.labeler_identity = labels.labeler_identity;
    for (const std::size_t i : rows) {
      resampled.predictions.push_back(labels.predictions[i]);
      resampled.references.push_back(labels.references[i]);
      resampled.errors.push_back(labels.errors[i]);
    }
    LabelInputs resampled_inputs(resampled);
    const MetricScores rescored = rrg::metrics::run_scorer(scorer, resampled_inputs);
    const std::vector<double> aggregated =
        rrg::metrics::aggregate_rows(scorer, full.statistics, rows);
    for (std::size_t k = 0; k < full.names.size(); ++k) {
      expect_same(aggregated[k], rescored.corpus[k],
                  full.names[k] + " seed " + std::to_string(seed));
    }
    expect_closed_forms(scorer, full.statistics, rows, "clinical");
  }
}

}  // namespace
