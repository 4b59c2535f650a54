// BERTScore as an rrg metric (rrg/metrics/scorer.h): BertScorer (bertscore.h) on every pair, one
// statistics row per sample (P, R, F1 — each the maximum over the sample's references, rescaled
// when asked, as bert_score returns them), corpus values np.mean over the samples.
//
// Texts: the candidate and every reference as given (the coco convention: --clean applies), as
// bert_score and RadEval pass them.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rrg/metrics/bertscore/bertscore.h"
#include "rrg/metrics/scorer.h"

namespace rrg::metrics::bertscore {

class BertScoreMetric final : public MeanScorer {
 public:
  // Reads the model folder and opens the cache (BertScorer's constructor; rrg::InputError for an
  // unusable folder, layer or baseline). libtorch loads on the first statistics() call.
  explicit BertScoreMetric(BertScoreOptions options);
  ~BertScoreMetric() override;

  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  std::string summary() const override;
  // Loads libtorch and the model now (otherwise loaded by the first statistics() call).
  void preload() const override;

  // bert_score's warnings of the last statistics() call (e.g. empty candidates).
  std::vector<std::string> last_warnings() const;

 private:
  std::unique_ptr<BertScorer> scorer_;
  mutable std::mutex mutex_;  // one statistics() at a time (BertScorer is not reentrant)
  mutable std::vector<std::string> warnings_;
};

}  // namespace rrg::metrics::bertscore
