// The scorer driver (see driver.h) and the shared pieces of scorer.h / scoring_inputs.h.
#include "rrg/metrics/driver.h"

#include <cmath>
#include <limits>
#include <numeric>

#include "rrg/core/errors.h"
#include "rrg/metrics/python_math.h"

namespace rrg::metrics {
namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::vector<std::string> Scorer::names() const {
  std::vector<std::string> out;
  for (auto& key : keys()) out.push_back(std::move(key.name));
  return out;
}

void MeanScorer::aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                           double* out) const {
  std::vector<double> values;
  values.reserve(n);
  for (std::size_t k = 0; k < stats.width; ++k) {
    values.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const double value = stats.row(rows[i])[k];
      if (!std::isnan(value)) values.push_back(value);
    }
    out[k] = values.empty() ? 0.0 : numpy_mean(values);
  }
}

void MeanScorer::sample_values(const double* row, double* out) const {
  const std::size_t n = keys().size();
  for (std::size_t k = 0; k < n; ++k) out[k] = row[k];
}

KeyAggregation MeanScorer::aggregation(std::size_t key) const {
  KeyAggregation aggregation;
  aggregation.kind = KeyAggregation::Kind::kMean;
  aggregation.column = key;
  return aggregation;
}

void SumsScorer::aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                           double* out) const {
  const std::size_t width = sums_width();
  std::vector<double> sums(width, 0.0), projected(width);
  for (std::size_t i = 0; i < n; ++i) {
    project(stats.row(rows[i]), projected.data());
    for (std::size_t c = 0; c < width; ++c) sums[c] += projected[c];
  }
  finish(sums.data(), n, out);
}

void SumsScorer::sample_values(const double* row, double* out) const {
  std::vector<double> projected(sums_width());
  project(row, projected.data());
  finish(projected.data(), 1, out);
}

KeyAggregation SumsScorer::aggregation(std::size_t key) const {
  KeyAggregation aggregation;
  aggregation.kind = KeyAggregation::Kind::kSums;
  aggregation.width = sums_width();
  aggregation.project = [this](const double* row, double* out) { project(row, out); };
  const std::size_t n_keys = keys().size();
  aggregation.finish = [this, key, n_keys](const double* sums, std::size_t n_rows) {
    std::vector<double> values(n_keys);
    finish(sums, n_rows, values.data());
    return values[key];
  };
  return aggregation;
}

const PairLabels& CorpusInputs::labels() {
  throw InputError("clinical metrics need a labeler to extract the CheXpert observations");
}

const PairEmbeddings& CorpusInputs::embeddings() {
  throw InputError(
      "embedding similarities need a labeler that embeds reports (--labeler chexbert)");
}

MetricScores run_scorer(const Scorer& scorer, ScoringInputs& inputs) {
  MetricScores out;
  out.keys = scorer.keys();
  const std::size_t n_keys = out.keys.size();
  for (const auto& key : out.keys) out.names.push_back(key.name);
  for (std::size_t k = 0; k < n_keys; ++k) {
    Signature signature(out.keys[k].name);
    scorer.sign(k, inputs, signature);
    out.signatures.push_back(std::move(signature));
  }

  out.statistics = scorer.statistics(inputs);
  const std::size_t n = out.statistics.size();
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  out.corpus.assign(n_keys, kNone);
  scorer.aggregate(out.statistics, all.data(), n, out.corpus.data());
  for (std::size_t k = 0; k < n_keys; ++k) {
    if (!out.keys[k].corpus) out.corpus[k] = kNone;
  }

  out.per_sample.assign(n_keys, {});
  for (std::size_t k = 0; k < n_keys; ++k) {
    if (out.keys[k].per_sample) out.per_sample[k].resize(n);
  }
  std::vector<double> values(n_keys);
  for (std::size_t i = 0; i < n; ++i) {
    scorer.sample_values(out.statistics.row(i), values.data());
    for (std::size_t k = 0; k < n_keys; ++k) {
      if (out.keys[k].per_sample) out.per_sample[k][i] = values[k];
    }
  }
  return out;
}

MetricScores score_corpus(const Scorer& scorer, const TextCorpus& corpus,
                          const std::string& cleaner) {
  CorpusInputs inputs(corpus, cleaner);
  return run_scorer(scorer, inputs);
}

std::vector<double> aggregate_rows(const Scorer& scorer, const SampleStatistics& statistics,
                                   const std::vector<std::size_t>& rows) {
  std::vector<double> out(scorer.keys().size(), kNone);
  scorer.aggregate(statistics, rows.data(), rows.size(), out.data());
  return out;
}

}  // namespace rrg::metrics
