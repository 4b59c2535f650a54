// The scorer driver (see driver.h) and the shared pieces of scorer.h / scoring_inputs.h.
#include "rrg/metrics/driver.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

#include "rrg/core/errors.h"
#include "rrg/core/parallel.h"
#include "rrg/metrics/lexical/sample_loop.h"
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
  // Called once per sample: no allocation for the usual few columns.
  constexpr std::size_t kOnStack = 16;
  const std::size_t width = sums_width();
  double on_stack[kOnStack];
  std::vector<double> on_heap(width > kOnStack ? width : 0);
  double* projected = width > kOnStack ? on_heap.data() : on_stack;
  project(row, projected);
  finish(projected, 1, out);
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

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Rows per task when per-sample values are extracted in parallel.
constexpr std::size_t kValueRows = 4096;

// Keys, names and signatures of `scorer`.
void sign_scores(const Scorer& scorer, ScoringInputs& inputs, MetricScores& out) {
  out.keys = scorer.keys();
  const std::size_t n_keys = out.keys.size();
  for (const auto& key : out.keys) out.names.push_back(key.name);
  for (std::size_t k = 0; k < n_keys; ++k) {
    Signature signature(out.keys[k].name);
    scorer.sign(k, inputs, signature);
    out.signatures.push_back(std::move(signature));
  }
}

// The corpus value of every key from all rows in sample order, and the per-sample values (rows
// are independent: extracted on `threads` threads).
void aggregate_scores(const Scorer& scorer, MetricScores& out, std::size_t threads) {
  const std::size_t n_keys = out.keys.size();
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
  parallel_for((n + kValueRows - 1) / kValueRows, threads, [&](std::size_t task, std::size_t) {
    std::vector<double> values(n_keys);
    const std::size_t last = std::min(n, (task + 1) * kValueRows);
    for (std::size_t i = task * kValueRows; i < last; ++i) {
      scorer.sample_values(out.statistics.row(i), values.data());
      for (std::size_t k = 0; k < n_keys; ++k) {
        if (out.keys[k].per_sample) out.per_sample[k][i] = values[k];
      }
    }
  });
}

// Scorers of one sample loop: same text convention and tokenizer.
struct LoopGroup {
  TextConvention convention;
  Tokenizer tokenizer;
  std::vector<std::size_t> members;  // indices into the scorers
};

}  // namespace

MetricScores run_scorer(const Scorer& scorer, ScoringInputs& inputs) {
  return std::move(run_scorers({&scorer}, inputs).front());
}

std::vector<MetricScores> run_scorers(const std::vector<const Scorer*>& scorers,
                                      ScoringInputs& inputs, ScorerTimes* times,
                                      const std::function<void(std::size_t)>& after_sign) {
  const std::size_t n_scorers = scorers.size();
  std::vector<MetricScores> out(n_scorers);
  std::vector<double> seconds(n_scorers, 0.0);
  for (std::size_t s = 0; s < n_scorers; ++s) {
    const auto start = std::chrono::steady_clock::now();
    sign_scores(*scorers[s], inputs, out[s]);
    seconds[s] += seconds_since(start);
    if (after_sign) after_sign(s);
  }

  std::vector<LoopGroup> groups;
  std::vector<std::size_t> group_of(n_scorers, static_cast<std::size_t>(-1));
  for (std::size_t s = 0; s < n_scorers; ++s) {
    const LoopScorer* loop = scorers[s]->loop_scorer();
    if (loop == nullptr) continue;
    std::size_t g = 0;
    while (g < groups.size() && !(groups[g].convention == loop->loop_convention() &&
                                  groups[g].tokenizer == loop->loop_tokenizer())) {
      ++g;
    }
    if (g == groups.size()) groups.push_back({loop->loop_convention(), loop->loop_tokenizer(), {}});
    groups[g].members.push_back(s);
    group_of[s] = g;
  }

  // Statistics in scorer order; a loop group runs when its first member's turn comes.
  std::vector<bool> group_done(groups.size(), false);
  for (std::size_t s = 0; s < n_scorers; ++s) {
    if (group_of[s] == static_cast<std::size_t>(-1)) {
      const auto start = std::chrono::steady_clock::now();
      out[s].statistics = scorers[s]->statistics(inputs);
      seconds[s] += seconds_since(start);
      continue;
    }
    const std::size_t g = group_of[s];
    if (group_done[g]) continue;
    group_done[g] = true;
    const LoopGroup& group = groups[g];
    const TextCorpus& corpus = inputs.texts(group.convention);
    SampleLoop loop(corpus, group.tokenizer, inputs.threads());
    std::vector<std::unique_ptr<LoopConsumer>> consumers;
    std::vector<LoopConsumer*> pointers;
    for (const std::size_t m : group.members) {
      consumers.push_back(scorers[m]->loop_scorer()->make_consumer(corpus, loop.lanes()));
      pointers.push_back(consumers.back().get());
    }
    std::vector<double> loop_seconds;
    std::vector<SampleStatistics> stats = loop.run(pointers, &loop_seconds);
    for (std::size_t i = 0; i < group.members.size(); ++i) {
      out[group.members[i]].statistics = std::move(stats[i]);
      seconds[group.members[i]] += loop_seconds[i];
    }
  }

  for (std::size_t s = 0; s < n_scorers; ++s) {
    const auto start = std::chrono::steady_clock::now();
    aggregate_scores(*scorers[s], out[s], inputs.threads());
    seconds[s] += seconds_since(start);
  }
  if (times != nullptr) times->seconds = std::move(seconds);
  return out;
}

MetricScores score_corpus(const Scorer& scorer, const TextCorpus& corpus,
                          const std::string& cleaner, std::size_t threads) {
  CorpusInputs inputs(corpus, cleaner, threads);
  return run_scorer(scorer, inputs);
}

std::vector<double> aggregate_rows(const Scorer& scorer, const SampleStatistics& statistics,
                                   const std::vector<std::size_t>& rows) {
  std::vector<double> out(scorer.keys().size(), kNone);
  scorer.aggregate(statistics, rows.data(), rows.size(), out.data());
  return out;
}

}  // namespace rrg::metrics
