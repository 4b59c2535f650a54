// Cosine similarity of embeddings (see embedding_similarity.h).
#include "rrg/metrics/clinical/embedding_similarity.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace rrg::metrics {

double cosine_similarity(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument("cosine_similarity: vectors of different lengths");
  }
  double dot = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  if (aa == 0 || bb == 0) return std::numeric_limits<double>::quiet_NaN();
  return dot / (std::sqrt(aa) * std::sqrt(bb));
}

EmbeddingSimilarity embedding_similarity(const std::vector<std::vector<float>>& predictions,
                                         const std::vector<std::vector<float>>& references) {
  if (predictions.size() != references.size()) {
    throw std::invalid_argument("embedding_similarity: different numbers of samples");
  }
  EmbeddingSimilarity out;
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    const double value = cosine_similarity(predictions[i], references[i]);
    out.per_sample.push_back(value);
    if (!std::isnan(value)) {
      sum += value;
      ++n;
    }
  }
  out.mean = n > 0 ? sum / static_cast<double>(n) : 0.0;
  return out;
}

}  // namespace rrg::metrics
