// chexbert_similarity (see similarity_scorer.h).
#include "rrg/metrics/clinical/similarity_scorer.h"

#include "rrg/core/errors.h"

namespace rrg::metrics {

std::vector<KeyInfo> ChexbertSimilarityScorer::keys() const {
  return {{kChexbertSimilarityName}};
}

void ChexbertSimilarityScorer::sign(std::size_t, ScoringInputs& inputs,
                                    Signature& signature) const {
  signature.set("labeler", inputs.embeddings().identity)
      .set("emb", "cls")
      .set("clean", inputs.cleaner(TextConvention::kSeed));
}

SampleStatistics ChexbertSimilarityScorer::statistics(ScoringInputs& inputs) const {
  const PairEmbeddings& embeddings = inputs.embeddings();
  if (embeddings.predictions.size() != embeddings.references.size()) {
    throw std::invalid_argument("chexbert_similarity: different numbers of embeddings");
  }
  SampleStatistics stats(embeddings.predictions.size(), 1);
  for (std::size_t i = 0; i < stats.size(); ++i) {
    stats.row(i)[0] = cosine_similarity(embeddings.predictions[i], embeddings.references[i]);
  }
  return stats;
}

}  // namespace rrg::metrics
