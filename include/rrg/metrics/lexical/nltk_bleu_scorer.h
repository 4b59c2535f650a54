// nltk-bleu: BLEU-1..BLEU-4 exactly as the seed toolkit computes them with NLTK 3.8
// (nltk/translate/bleu_score.py): corpus values from corpus_bleu, per-sample values from
// sentence_bleu, weights (1/n, ..., 1/n), SmoothingFunction().method1 (epsilon 0.1).
//
// Tokens: Python text.lower().split() (full Unicode lower-casing, Unicode whitespace). The seed
// convention passes texts through its clean_report and keeps only the first reference; that is
// done by the evaluation pipeline, this scorer uses every reference it is given.
//
// Reproduced details: precisions are Fractions of clipped matches over max(1, n-gram count)
// (summed over samples for the corpus), converted to float by one correctly rounded division;
// method1 replaces a zero precision by 0.1 / denominator; the brevity penalty uses the closest
// reference length (ties to the shorter) and is 0 for an empty hypothesis; the weighted log
// precisions are added with math.fsum; the score is 0 when there is no unigram match at all.
#pragma once

#include <string>
#include <vector>

#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics {

class NltkBleuScorer final : public SumsScorer, public RowLoopScorer {
 public:
  NltkBleuScorer();
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
