// coco-bleu: Bleu_1..Bleu_4 exactly as pycocoevalcap 1.2 computes them (bleu/bleu_scorer.py,
// `Bleu(4).compute_score(gts, res)`, which uses option "closest").
//
// Tokens: Python str.split() of the texts as given (no lower-casing; cleaning is the caller's
// job). Per sample i and order n, BleuScorer accumulates p = prod_{k<=n} (correct_k + 1e-15) /
// (guess_k + 1e-9) and reports p^(1/n), times exp(1 - r/c) when the hypothesis is shorter than
// its closest reference (ratio c/r computed as (c + 1e-15) / (r + 1e-9)). The corpus value uses
// the same formula on the summed counts and lengths. The tiny/small constants mean a sample with
// no n-gram matches gets a tiny positive value, not 0, which this scorer reproduces.
#pragma once

#include <string>
#include <vector>

#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics {

class CocoBleuScorer final : public SumsScorer, public RowLoopScorer {
 public:
  CocoBleuScorer();
  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  const LoopScorer* loop_scorer() const override { return this; }

 protected:
  std::unique_ptr<SampleWorker> make_worker() const override;
  std::size_t sums_width() const override;
  void project(const double* row, double* out) const override;
  void finish(const double* sums, std::size_t n_rows, double* out) const override;
};

}  // namespace rrg::metrics
