// coco-cider: CIDEr exactly as pycocoevalcap 1.2 computes it (cider/cider_scorer.py, which is
// CIDEr-D: n = 4, sigma = 6, clipped similarity, length penalty, x10).
//
// Tokens: Python str.split() of the texts as given. For each n-gram order, a text becomes a
// tf-idf vector: term frequency x (log(N) - log(max(1, df))), where N is the number of samples
// and df the number of samples whose references contain the n-gram -- document frequencies come
// from the references of the corpus being scored, so scores depend on the whole corpus. For each
// reference: val_n = sum over hypothesis n-grams of min(h, r) * r, divided by |h| |r| when both
// are non-zero, times exp(-(delta^2) / (2 sigma^2)) computed as np.e ** x. Reproduced quirk:
// delta is the difference of the two texts' *bigram* counts (the "length" in counts2vec counts
// n-grams with index n == 1). Sample score = 10 * mean_n(sum over references of val_n) /
// number of references; corpus = np.mean of the sample scores.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics {

class CocoCiderScorer final : public MeanScorer, public LoopScorer {
 public:
  // Between its two passes the scorer keeps the n-gram ids of the first samples, up to
  // `kept_id_budget` ids (4 bytes each); the remaining samples are tokenized again. The result
  // does not depend on the budget (tests set it to 0 to exercise the re-tokenizing path).
  static constexpr std::size_t kDefaultKeptIdBudget = std::size_t{16} << 20;  // 64 MiB
  explicit CocoCiderScorer(std::size_t kept_id_budget = kDefaultKeptIdBudget)
      : kept_id_budget_(kept_id_budget) {}

  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  // Each row is the sample's CIDEr-D under the document frequencies of the whole corpus's
  // references: a resample keeps the test set's df (a property of the reference set, as
  // bert_score's idf is), so its value is the mean of the resampled per-sample scores.
  SampleStatistics statistics(ScoringInputs& inputs) const override;

  // In the sample loop: str.split() of the coco texts (shared with coco BLEU).
  const LoopScorer* loop_scorer() const override { return this; }
  TextConvention loop_convention() const override { return TextConvention::kCoco; }
  Tokenizer loop_tokenizer() const override { return Tokenizer::kPythonSplit; }
  std::unique_ptr<LoopConsumer> make_consumer(const TextCorpus& corpus,
                                              std::size_t lanes) const override;

 private:
  std::size_t kept_id_budget_;
};

}  // namespace rrg::metrics
