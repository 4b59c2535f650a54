// Greedy matching (see greedy_matching.h). Cosines are float32 dot products accumulated in a fixed
// order (k ascending) with the row of similarities as the vectorised dimension, so the compiler
// vectorises without reordering any sum: results do not depend on the CPU.
#include "rrg/metrics/bertscore/greedy_matching.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rrg::metrics::bertscore {

void l2_normalize_rows(float* rows, std::size_t count, std::size_t dim) {
  for (std::size_t r = 0; r < count; ++r) {
    float* row = rows + r * dim;
    double sum = 0;
    for (std::size_t k = 0; k < dim; ++k) sum += static_cast<double>(row[k]) * row[k];
    const auto norm = static_cast<float>(std::sqrt(sum));
    for (std::size_t k = 0; k < dim; ++k) row[k] /= norm;
  }
}

PairScore greedy_match(const TokenMatrix& hyp, const TokenMatrix& ref, std::size_t dim,
                       bool hyp_floor, bool ref_floor) {
  const std::size_t nh = hyp.length, nr = ref.length;
  constexpr float kLowest = -std::numeric_limits<float>::infinity();
  std::vector<float> best_ref_for_hyp(nh, ref_floor ? 0.0f : kLowest);
  std::vector<float> best_hyp_for_ref(nr, hyp_floor ? 0.0f : kLowest);
  // sim[i][j] over j, one hypothesis token at a time: reference rows transposed to [dim, nr].
  std::vector<float> ref_t(dim * nr), sim(nr);
  for (std::size_t j = 0; j < nr; ++j) {
    for (std::size_t k = 0; k < dim; ++k) ref_t[k * nr + j] = ref.rows[j * dim + k];
  }
  for (std::size_t i = 0; i < nh; ++i) {
    std::fill(sim.begin(), sim.end(), 0.0f);
    const float* x = hyp.rows + i * dim;
    for (std::size_t k = 0; k < dim; ++k) {
      const float xk = x[k];
      const float* column = ref_t.data() + k * nr;
      for (std::size_t j = 0; j < nr; ++j) sim[j] += xk * column[j];
    }
    for (std::size_t j = 0; j < nr; ++j) {
      best_ref_for_hyp[i] = std::max(best_ref_for_hyp[i], sim[j]);
      best_hyp_for_ref[j] = std::max(best_hyp_for_ref[j], sim[j]);
    }
  }
  // bert_score normalises the (float32) weights first, then sums weight * best cosine.
  const auto weighted = [](const std::vector<float>& best, const double* weights, std::size_t n) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += weights[i];
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += best[i] * (weights[i] / total);
    return sum;
  };
  PairScore s;
  s.precision = weighted(best_ref_for_hyp, hyp.weights, nh);
  s.recall = weighted(best_hyp_for_ref, ref.weights, nr);
  s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall);
  if (nh == 2 || nr == 2) s.precision = s.recall = 0;  // only [CLS]/[SEP]: an empty text
  if (std::isnan(s.f1)) s.f1 = 0;
  return s;
}

}  // namespace rrg::metrics::bertscore
