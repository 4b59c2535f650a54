// The statistics end to end against Python: tests/stats/radeval_ar_reference.py re-implements
// RadEval's paired approximate randomization and a NumPy bootstrap on top of NLTK's corpus_bleu;
// here the same tests run through rrg_stats with BLEU-4 recomputed from per-sample BLEU counts
// (rrg's BleuCounter and NLTK's formula). Every score, p-value and interval must be equal (==).
//
// The texts are chest X-ray style findings written for this test: 64 ids, a reference each and
// three systems (the baseline, one close to it, one clearly better).
#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "python_oracle.h"
#include "rrg/metrics/driver.h"
#include "rrg/metrics/lexical/bleu_counts.h"
#include "rrg/metrics/lexical/nltk_bleu_scorer.h"
#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/python_math.h"
#include "rrg/stats/approximate_randomization.h"
#include "rrg/stats/masked_sum.h"
#include "rrg/stats/paired_bootstrap.h"
#include "support/test_support.h"

namespace {

using rrg::metrics::BleuCounter;
using rrg::metrics::kBleuMaxOrder;
using rrg::metrics::TokenSpan;
using rrg::metrics::TokenVocabulary;
using rrg::stats::MaskedIntegerSum;

// ---- Texts -------------------------------------------------------------------------------

const std::vector<std::vector<std::string>>& findings() {
  // Each finding: alternatives a report may use for it.
  static const std::vector<std::vector<std::string>> f{
      {"the cardiac silhouette is within normal limits", "heart size is normal",
       "the heart is not enlarged"},
      {"there is mild cardiomegaly", "the heart is mildly enlarged",
       "cardiac silhouette is enlarged"},
      {"the lungs are clear", "no focal airspace consolidation",
       "lungs are well expanded and clear"},
      {"small left pleural effusion", "there is a small left effusion",
       "blunting of the left costophrenic angle"},
      {"no pneumothorax", "there is no pneumothorax", "no evidence of pneumothorax"},
      {"patchy opacity at the right base may reflect atelectasis", "right basilar atelectasis",
       "streaky right lower lobe opacity"},
      {"the endotracheal tube ends 4 cm above the carina", "et tube in standard position",
       "endotracheal tube terminates above the carina"},
      {"mild pulmonary vascular congestion", "vascular congestion without frank edema",
       "pulmonary vessels are engorged"},
      {"degenerative changes of the thoracic spine", "thoracic spondylosis",
       "mild degenerative change in the spine"},
      {"no acute osseous abnormality", "bones are intact", "no displaced rib fracture"},
  };
  return f;
}

struct Texts {
  std::vector<std::string> references;
  std::vector<std::vector<std::string>> systems;  // A (baseline), B, C
};

// Reference i: 3-5 findings in a fixed phrasing; a system keeps each finding with probability
// `keep`, rephrases it otherwise, and sometimes adds one the reference does not have.
Texts make_texts() {
  std::mt19937 rng(20240611);
  Texts t;
  const auto& f = findings();
  std::vector<std::vector<std::size_t>> chosen;
  for (std::size_t i = 0; i < 64; ++i) {
    std::vector<std::size_t> ids;
    const std::size_t count = 3 + rng() % 3;
    while (ids.size() < count) {
      const std::size_t k = rng() % f.size();
      if (std::find(ids.begin(), ids.end(), k) == ids.end()) ids.push_back(k);
    }
    std::string ref;
    for (std::size_t k : ids) ref += f[k][0] + ". ";
    t.references.push_back(ref);
    chosen.push_back(ids);
  }
  const std::array<double, 3> keep{0.35, 0.42, 0.7};
  for (double p : keep) {
    std::vector<std::string> outputs;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      std::string out;
      for (std::size_t k : chosen[i]) {
        const double u = static_cast<double>(rng()) / 4294967296.0;
        if (u < p) {
          out += f[k][0] + ". ";
        } else if (u < p + (1 - p) * 0.7) {
          out += f[k][1 + rng() % 2] + ". ";
        }  // else: the finding is missed
      }
      if (rng() % 4 == 0) out += f[rng() % f.size()][rng() % 3] + ". ";
      // Upper-case the first letter: tokens are text.lower().split().
      if (!out.empty())
        out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
      outputs.push_back(out);
    }
    t.systems.push_back(outputs);
  }
  return t;
}

// ---- BLEU-4 from per-sample counts, as NLTK's corpus_bleu -----------------------------------

// Per-sample sufficient statistics: numerators[4], denominators[4], hyp length, ref length.
constexpr std::size_t kStats = 2 * kBleuMaxOrder + 2;
using SampleStats = std::array<std::int64_t, kStats>;

std::vector<std::string> lower_split(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

std::vector<SampleStats> bleu_stats(const std::vector<std::string>& hyps,
                                    const std::vector<std::string>& refs) {
  TokenVocabulary vocabulary;
  BleuCounter counter;
  auto ids = [&](const std::string& text) {
    std::vector<rrg::metrics::TokenId> out;
    for (const auto& token : lower_split(text)) out.push_back(vocabulary.intern(token));
    return out;
  };
  std::vector<SampleStats> out;
  for (std::size_t i = 0; i < hyps.size(); ++i) {
    const auto h = ids(hyps[i]), r = ids(refs[i]);
    const auto counts =
        counter.count(TokenSpan{h.data(), h.size()}, {TokenSpan{r.data(), r.size()}});
    SampleStats s{};
    for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
      s[k] = static_cast<std::int64_t>(counts.matches[k]);
      s[kBleuMaxOrder + k] =
          std::max<std::int64_t>(1, static_cast<std::int64_t>(counts.hyp_ngrams(k)));
    }
    s[2 * kBleuMaxOrder] = static_cast<std::int64_t>(counts.hyp_length);
    s[2 * kBleuMaxOrder + 1] = static_cast<std::int64_t>(counts.closest_ref_length);
    out.push_back(s);
  }
  return out;
}

// corpus_bleu's tail with weights (0.25,)*4 and method1, from corpus totals.
double nltk_bleu4(const SampleStats& t) {
  if (t[0] == 0) return 0.0;
  const auto hyp = static_cast<double>(t[2 * kBleuMaxOrder]);
  const auto ref = static_cast<double>(t[2 * kBleuMaxOrder + 1]);
  const double bp =
      t[2 * kBleuMaxOrder] > t[2 * kBleuMaxOrder + 1] ? 1.0 : std::exp(1.0 - ref / hyp);
  double terms[kBleuMaxOrder];
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    const auto den = static_cast<double>(t[kBleuMaxOrder + k]);
    const double p = t[k] == 0 ? 0.1 / den : static_cast<double>(t[k]) / den;
    terms[k] = 0.25 * std::log(p);
  }
  return bp * std::exp(rrg::metrics::python_fsum(terms, kBleuMaxOrder));
}

SampleStats totals(const std::vector<SampleStats>& stats) {
  SampleStats t{};
  for (const auto& s : stats) {
    for (std::size_t c = 0; c < kStats; ++c) t[c] += s[c];
  }
  return t;
}

// A trial from integer deltas: randomized baseline = A + S, randomized system = B - S.
class PairedBleu4 : public rrg::stats::PairedMetric {
 public:
  PairedBleu4(const std::vector<SampleStats>& a, const std::vector<SampleStats>& b)
      : total_a_(totals(a)), total_b_(totals(b)) {
    for (std::size_t c = 0; c < kStats; ++c) {
      std::vector<std::int64_t> delta(a.size());
      for (std::size_t i = 0; i < a.size(); ++i) delta[i] = b[i][c] - a[i][c];
      deltas_[c] = MaskedIntegerSum(delta);
    }
  }
  std::pair<double, double> trial(const std::uint64_t* swap) const override {
    SampleStats first = total_a_, second = total_b_;
    for (std::size_t c = 0; c < kStats; ++c) {
      const std::int64_t moved = deltas_[c](swap);
      first[c] += moved;
      second[c] -= moved;
    }
    return {nltk_bleu4(first), nltk_bleu4(second)};
  }

 private:
  SampleStats total_a_, total_b_;
  std::array<MaskedIntegerSum, kStats> deltas_;
};

class ResampledBleu4 : public rrg::stats::ResampledMetric {
 public:
  explicit ResampledBleu4(std::vector<SampleStats> stats) : stats_(std::move(stats)) {}
  double value(const std::uint32_t* indices, std::size_t n) const override {
    SampleStats t{};
    for (std::size_t k = 0; k < n; ++k) {
      for (std::size_t c = 0; c < kStats; ++c) t[c] += stats_[indices[k]][c];
    }
    return nltk_bleu4(t);
  }

 private:
  std::vector<SampleStats> stats_;
};

// ---- The comparison ------------------------------------------------------------------------

TEST(RadEvalReference, PValuesAndIntervalsEqualPythonExactly) {
  RRG_REQUIRE_PYTHON("numpy", "nltk");
  const Texts texts = make_texts();
  const std::vector<std::string> names{"baseline", "close", "better"};
  const std::size_t trials = 200, replicates = 200, n = texts.references.size();
  const std::uint64_t seed = 12345;

  nlohmann::json request = {{"references", texts.references},
                            {"metrics", {"nltk-bleu-4"}},
                            {"trials", trials},
                            {"seed", seed},
                            {"bootstrap", replicates},
                            {"ci", 95},
                            {"bootstrap_seed", seed},
                            {"keep_replicates", true}};
  for (std::size_t s = 0; s < 3; ++s) {
    request["systems"].push_back({{"name", names[s]}, {"outputs", texts.systems[s]}});
  }
  const auto result = rrg::testing::run_command(
      {"/usr/bin/python3", rrg::testing::source_dir() + "/tests/stats/radeval_ar_reference.py"},
      request.dump());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json answer = nlohmann::json::parse(result.out);
  ASSERT_EQ(answer["baseline"], "baseline");

  std::vector<std::vector<SampleStats>> stats;
  for (std::size_t s = 0; s < 3; ++s)
    stats.push_back(bleu_stats(texts.systems[s], texts.references));

  // Scores: from counts, and as rrg's own nltk-bleu scorer gives them.
  for (std::size_t s = 0; s < 3; ++s) {
    const double expected = answer["scores"][names[s]]["nltk-bleu-4"].get<double>();
    EXPECT_EQ(nltk_bleu4(totals(stats[s])), expected) << names[s];
    rrg::metrics::TextCorpus corpus;
    corpus.hypotheses = texts.systems[s];
    for (const auto& r : texts.references) corpus.references.push_back({r});
    EXPECT_EQ(rrg::metrics::score_corpus(rrg::metrics::NltkBleuScorer(), corpus).corpus[3],
              expected)
        << names[s];
  }

  // Approximate randomization: jobs in RadEval's order (systems, then metrics), any threads.
  const PairedBleu4 close(stats[0], stats[1]), better(stats[0], stats[2]);
  for (unsigned threads : {1u, 2u}) {
    for (auto convention :
         {rrg::stats::PValueConvention::kRadEval, rrg::stats::PValueConvention::kNoreen}) {
      rrg::stats::ApproximateRandomizationOptions options;
      options.trials = trials;
      options.seed = seed;
      options.threads = threads;
      options.min_segment_draws = 1000;  // several segments, so threads really split the stream
      options.convention = convention;
      const auto ar = rrg::stats::approximate_randomization({&close, &better}, n, options);
      const char* key = convention == rrg::stats::PValueConvention::kRadEval ? "radeval" : "noreen";
      for (std::size_t j = 0; j < 2; ++j) {
        const auto& expected = answer["ar"][names[j + 1]]["nltk-bleu-4"];
        EXPECT_EQ(ar[j].count, expected["count"].get<std::uint64_t>()) << names[j + 1];
        EXPECT_EQ(ar[j].p_value, expected[key].get<double>()) << names[j + 1] << " " << key;
        EXPECT_EQ(ar[j].value_a, answer["scores"]["baseline"]["nltk-bleu-4"].get<double>());
        EXPECT_EQ(ar[j].value_b, answer["scores"][names[j + 1]]["nltk-bleu-4"].get<double>());
      }
    }
  }
  // The texts were written so that the test is not trivial: one p-value in between.
  const double close_p = answer["ar"]["close"]["nltk-bleu-4"]["radeval"].get<double>();
  EXPECT_GT(close_p, 0.0);
  EXPECT_LT(close_p, 1.0);

  // Bootstrap.
  std::vector<std::unique_ptr<ResampledBleu4>> resampled;
  std::vector<std::vector<const rrg::stats::ResampledMetric*>> table(1);
  for (std::size_t s = 0; s < 3; ++s) {
    resampled.push_back(std::make_unique<ResampledBleu4>(stats[s]));
    table[0].push_back(resampled.back().get());
  }
  for (unsigned threads : {1u, 2u}) {
    rrg::stats::PairedBootstrapOptions options;
    options.replicates = replicates;
    options.ci = 95;
    options.seed = seed;
    options.threads = threads;
    options.keep_replicates = true;
    const auto intervals = rrg::stats::paired_bootstrap(table, 0, n, options);
    for (std::size_t s = 0; s < 3; ++s) {
      const auto& expected = answer["bootstrap"][names[s]]["nltk-bleu-4"];
      const auto& got = intervals[0][s];
      EXPECT_EQ(got.replicates, expected["replicates"].get<std::vector<double>>()) << names[s];
      EXPECT_EQ(got.value.low, expected["ci_low"].get<double>()) << names[s];
      EXPECT_EQ(got.value.high, expected["ci_high"].get<double>()) << names[s];
      if (s == 0) {
        EXPECT_FALSE(got.diff.has_value());
        EXPECT_TRUE(expected["diff_ci_low"].is_null());
      } else {
        ASSERT_TRUE(got.diff.has_value());
        EXPECT_EQ(got.diff->low, expected["diff_ci_low"].get<double>()) << names[s];
        EXPECT_EQ(got.diff->high, expected["diff_ci_high"].get<double>()) << names[s];
      }
    }
  }
}

}  // namespace
