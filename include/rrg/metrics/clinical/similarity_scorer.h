// chexbert_similarity as a scorer: the cosine of each pair's embeddings
// (ScoringInputs::embeddings(): CheXbert's [CLS] vectors of prediction and first reference;
// RadCliQ's s_emb), per sample, and their np.mean over the pairs (NaN cosines, from an all-zero
// vector, left out), as RadEval's semb_score computes `scores.mean()`.
#pragma once

#include <cstddef>
#include <vector>

#include "rrg/metrics/clinical/embedding_similarity.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics {

class ChexbertSimilarityScorer final : public MeanScorer {
 public:
  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
};

}  // namespace rrg::metrics
