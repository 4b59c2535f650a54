// BERTScore as an rrg metric (see bertscore_metric.h).
#include "rrg/metrics/bertscore/bertscore_metric.h"

#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics::bertscore {

BertScoreMetric::BertScoreMetric(BertScoreOptions options)
    : scorer_(std::make_unique<BertScorer>(std::move(options))) {}

BertScoreMetric::~BertScoreMetric() = default;

std::vector<KeyInfo> BertScoreMetric::keys() const {
  std::vector<KeyInfo> keys;
  for (const auto& name : BertScorer::metric_names()) keys.push_back({name});
  return keys;
}

void BertScoreMetric::sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const {
  signature = scorer_->signatures().at(key);
  const TextCorpus& corpus = inputs.texts(TextConvention::kCoco);
  std::size_t most = 0;
  for (const auto& refs : corpus.references) most = std::max(most, refs.size());
  signature.set("clean", inputs.cleaner(TextConvention::kCoco))
      .set("nrefs", most > 1 ? "max-f1-of-" + std::to_string(most) : "1");
}

void BertScoreMetric::preload() const {
  std::lock_guard<std::mutex> lock(mutex_);
  scorer_->preload();
}

SampleStatistics BertScoreMetric::statistics(ScoringInputs& inputs) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const TextCorpus& corpus = inputs.texts(TextConvention::kCoco);
  const BertScoreResult result = scorer_->score(corpus.hypotheses, corpus.references);
  warnings_ = result.warnings;
  SampleStatistics stats(result.samples.size(), 3);
  for (std::size_t i = 0; i < result.samples.size(); ++i) {
    double* row = stats.row(i);
    row[0] = result.samples[i].precision;
    row[1] = result.samples[i].recall;
    row[2] = result.samples[i].f1;
  }
  return stats;
}

std::string BertScoreMetric::summary() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return scorer_->summary();
}

std::vector<std::string> BertScoreMetric::last_warnings() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return warnings_;
}

}  // namespace rrg::metrics::bertscore
