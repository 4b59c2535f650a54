// Scorer "rouge-score" (family seed): key ROUGE-L, as Google's rouge-score 0.1.2 computes it.
//
// The seed toolkit scores `RougeScorer(['rougeL'], use_stemmer=True).score(reference,
// prediction)['rougeL'].fmeasure` per sample and reports the mean. rouge-score's
// DefaultTokenizer lower-cases with Python's str.lower(), replaces every run of characters
// outside [a-z0-9] by a space, splits, stems tokens longer than three characters with NLTK's
// PorterStemmer() and drops tokens that are not [a-z0-9]+; ROUGE-L is then the F-measure
// (beta 1) of the longest common subsequence: P = LCS/|prediction|, R = LCS/|reference|,
// F = 2PR/(P+R), and 0 when either side has no tokens or P+R = 0. The corpus value is np.mean of
// the per-sample F values. Only the first reference of each sample is used (the seed convention
// reads one reference per id), so signatures say nrefs:1.
//
// Per-sample work is linear in practice: tokens are interned once per distinct word (stems cached
// per word, rrg/metrics/lexical/token_ids.h) and the LCS length is computed bit-parallel
// (rrg/metrics/lexical/lcs.h).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics {

// rouge-score 0.1.2 `DefaultTokenizer(use_stemmer=True).tokenize(text)`.
std::vector<std::string> rouge_score_tokenize(std::string_view text);

// rouge-score's `_score_lcs(target, prediction).fmeasure` from the LCS length and token counts.
double rouge_lcs_fmeasure(std::size_t lcs, std::size_t target_length,
                          std::size_t prediction_length);

// "ROUGE-L|conv:rouge-score-0.1.2|tok:rouge-score|stem:porter-nltk|clean:seed|nrefs:1|version:..."
class RougeScoreScorer final : public MeanScorer, public RowLoopScorer {
 public:
  RougeScoreScorer();
  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  const LoopScorer* loop_scorer() const override { return this; }

 protected:
  // One tokenizer (with its stem cache) per lane, taken from the workers of earlier calls when
  // one is free (state_pool.h).
  std::unique_ptr<SampleWorker> make_worker() const override;

 private:
  class States;  // thread-safe; rouge_score.cpp
  std::shared_ptr<States> states_;
};

}  // namespace rrg::metrics
