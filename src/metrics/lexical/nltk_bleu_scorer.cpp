// NLTK 3.8 BLEU (see nltk_bleu_scorer.h). The float operations follow corpus_bleu in order.
#include "rrg/metrics/lexical/nltk_bleu_scorer.h"

#include <cmath>

#include "rrg/metrics/lexical/bleu_counts.h"
#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/python_math.h"

namespace rrg::metrics {
namespace {

constexpr double kEpsilon = 0.1;  // SmoothingFunction(epsilon=0.1).method1

struct NltkTotals {
  std::array<std::uint64_t, kBleuMaxOrder> numerators{};
  std::array<std::uint64_t, kBleuMaxOrder> denominators{};
  std::uint64_t hyp_length = 0;
  std::uint64_t ref_length = 0;
};

// corpus_bleu's tail for weights (1/n,)*n: returns the value for n = 1..4.
std::array<double, kBleuMaxOrder> nltk_bleu(const NltkTotals& t) {
  std::array<double, kBleuMaxOrder> out{};
  if (t.numerators[0] == 0) return out;  // "if p_numerators[1] == 0: return 0"
  // brevity_penalty(closest_ref_len, hyp_len); hyp_len == 0 cannot reach here (no matches).
  double bp = 1.0;
  if (t.hyp_length <= t.ref_length) {
    bp = std::exp(1.0 - static_cast<double>(t.ref_length) / static_cast<double>(t.hyp_length));
  }
  std::array<double, kBleuMaxOrder> log_p{};
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    const auto denominator = static_cast<double>(t.denominators[k]);
    // float(Fraction(num, den)) is num / den correctly rounded: one IEEE division of two
    // exactly representable integers. method1 smooths a zero numerator to (0 + 0.1) / den.
    const double p = t.numerators[k] == 0 ? kEpsilon / denominator
                                          : static_cast<double>(t.numerators[k]) / denominator;
    log_p[k] = std::log(p);
  }
  for (std::size_t n = 1; n <= kBleuMaxOrder; ++n) {
    const double weight = 1.0 / static_cast<double>(n);
    double terms[kBleuMaxOrder];
    for (std::size_t k = 0; k < n; ++k) terms[k] = weight * log_p[k];
    out[n - 1] = bp * std::exp(python_fsum(terms, n));
  }
  return out;
}

}  // namespace

NltkBleuScorer::NltkBleuScorer()
    : RowLoopScorer(TextConvention::kSeed, Tokenizer::kLowerPythonSplit, kBleuRowWidth) {}

std::unique_ptr<SampleWorker> NltkBleuScorer::make_worker() const {
  return make_bleu_worker();
}

std::vector<KeyInfo> NltkBleuScorer::keys() const {
  return {{"BLEU-1"}, {"BLEU-2"}, {"BLEU-3"}, {"BLEU-4"}};
}

void NltkBleuScorer::sign(std::size_t, ScoringInputs& inputs, Signature& signature) const {
  signature.set("conv", "nltk-3.8")
      .set("tok", "lower-split")
      .set("weights", "uniform")
      .set("smooth", "method1-eps0.1");
  sign_text_inputs(inputs, TextConvention::kSeed, false, signature);
}

SampleStatistics NltkBleuScorer::statistics(ScoringInputs& inputs) const {
  return loop_statistics(*this, inputs);
}

// [numerators 1..4, denominators 1..4, hyp_length, ref_length]: corpus_bleu's totals.
std::size_t NltkBleuScorer::sums_width() const {
  return 2 * kBleuMaxOrder + 2;
}

void NltkBleuScorer::project(const double* row, double* out) const {
  const BleuCounts counts = bleu_counts_of_row(row);
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    out[k] = static_cast<double>(counts.matches[k]);
    // modified_precision: denominator = max(1, number of hypothesis n-grams)
    out[kBleuMaxOrder + k] = static_cast<double>(std::max<std::size_t>(1, counts.hyp_ngrams(k)));
  }
  out[2 * kBleuMaxOrder] = static_cast<double>(counts.hyp_length);
  out[2 * kBleuMaxOrder + 1] = static_cast<double>(counts.closest_ref_length);
}

void NltkBleuScorer::finish(const double* sums, std::size_t n_rows, double* out) const {
  NltkTotals totals;
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    totals.numerators[k] = static_cast<std::uint64_t>(sums[k]);
    totals.denominators[k] = static_cast<std::uint64_t>(sums[kBleuMaxOrder + k]);
  }
  totals.hyp_length = static_cast<std::uint64_t>(sums[2 * kBleuMaxOrder]);
  totals.ref_length = static_cast<std::uint64_t>(sums[2 * kBleuMaxOrder + 1]);
  const auto values = n_rows == 0 ? std::array<double, kBleuMaxOrder>{} : nltk_bleu(totals);
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) out[k] = values[k];
}

}  // namespace rrg::metrics
