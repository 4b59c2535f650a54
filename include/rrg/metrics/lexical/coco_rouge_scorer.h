// coco-rouge: ROUGE_L exactly as pycocoevalcap 1.2 computes it (rouge/rouge.py, Rouge()).
//
// Tokens: Python str.split(" ") of the texts as given -- a single ASCII space separates, so
// double spaces produce empty tokens, which match each other, and "" is one empty token (an
// empty hypothesis against an empty reference scores 1). For each reference, precision = LCS /
// len(hypothesis tokens) and recall = LCS / len(reference tokens); the best precision and the
// best recall over the references (possibly from different references) give
// F = (1 + beta^2) P R / (R + beta^2 P) with beta = 1.2, or 0 when either is 0. The corpus value
// is np.mean of the per-sample values (NumPy's pairwise summation, reproduced).
#pragma once

#include <string>
#include <vector>

#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics {

class CocoRougeScorer final : public MeanScorer, public RowLoopScorer {
 public:
  CocoRougeScorer();
  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  const LoopScorer* loop_scorer() const override { return this; }

 protected:
  std::unique_ptr<SampleWorker> make_worker() const override;
};

}  // namespace rrg::metrics
