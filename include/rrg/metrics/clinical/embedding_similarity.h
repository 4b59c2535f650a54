// Cosine similarity of report embeddings: the "CheXbert vector similarity" (s_emb) of RadCliQ
// (Yu et al., Patterns 2023; rajpurkarlab/CXR-Report-Metric CXRMetric/run_eval.py
// `add_semb_col`): per sample, (pred . ref) / (|pred| |ref|) of the two reports' CheXbert [CLS]
// embeddings, and the mean over samples. Computed in double precision (RadCliQ uses float32
// NumPy, which differs by ~1e-7).
#pragma once

#include <string>
#include <vector>

namespace rrg::metrics {

// Metric key in rrg evaluate's outputs.
inline constexpr const char* kChexbertSimilarityName = "chexbert_similarity";

struct EmbeddingSimilarity {
  std::vector<double> per_sample;  // cosine of each pair; NaN when either vector is all zeros
  double mean = 0.0;               // mean of the per-sample values (NaN ones left out)
};

// Cosine similarity of a and b (same length). Throws std::invalid_argument on a length mismatch.
double cosine_similarity(const std::vector<float>& a, const std::vector<float>& b);

// Per-sample cosines of predictions[i] and references[i], and their mean (0 for no samples).
EmbeddingSimilarity embedding_similarity(const std::vector<std::vector<float>>& predictions,
                                         const std::vector<std::vector<float>>& references);

}  // namespace rrg::metrics
