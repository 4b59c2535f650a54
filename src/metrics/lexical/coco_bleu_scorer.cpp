// pycocoevalcap BLEU (see coco_bleu_scorer.h). Every floating-point operation follows
// BleuScorer.compute_score in the same order, so values match to the last bit.
#include "rrg/metrics/lexical/coco_bleu_scorer.h"

#include <cmath>

#include "rrg/metrics/lexical/bleu_counts.h"
#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/python_math.h"

namespace rrg::metrics {
namespace {

constexpr double kTiny = 1e-15;  // bleu_scorer.py: "so that if guess is 0 still return 0"
constexpr double kSmall = 1e-9;

// The values of one sample or of the corpus: BleuScorer's loop over k with a running product.
std::array<double, kBleuMaxOrder> coco_bleu(const std::array<std::uint64_t, kBleuMaxOrder>& correct,
                                            const std::array<std::uint64_t, kBleuMaxOrder>& guess,
                                            std::uint64_t testlen, std::uint64_t reflen) {
  std::array<double, kBleuMaxOrder> out{};
  double bleu = 1.0;
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    bleu *= (static_cast<double>(correct[k]) + kTiny) / (static_cast<double>(guess[k]) + kSmall);
    out[k] = python_pow(bleu, 1.0 / static_cast<double>(k + 1));
  }
  const double ratio =
      (static_cast<double>(testlen) + kTiny) / (static_cast<double>(reflen) + kSmall);
  if (ratio < 1.0) {
    const double penalty = std::exp(1.0 - 1.0 / ratio);
    for (double& value : out) value *= penalty;
  }
  return out;
}

}  // namespace

CocoBleuScorer::CocoBleuScorer()
    : RowLoopScorer(TextConvention::kCoco, Tokenizer::kPythonSplit, kBleuRowWidth) {}

std::unique_ptr<SampleWorker> CocoBleuScorer::make_worker() const {
  return make_bleu_worker();
}

std::vector<KeyInfo> CocoBleuScorer::keys() const {
  return {{"Bleu_1"}, {"Bleu_2"}, {"Bleu_3"}, {"Bleu_4"}};
}

void CocoBleuScorer::sign(std::size_t, ScoringInputs& inputs, Signature& signature) const {
  signature.set("conv", "pycocoevalcap-1.2")
      .set("tok", "split")
      .set("opt", "closest")
      .set("smooth", "tiny-1e-15,small-1e-9");
  sign_text_inputs(inputs, TextConvention::kCoco, false, signature);
}

SampleStatistics CocoBleuScorer::statistics(ScoringInputs& inputs) const {
  return loop_statistics(*this, inputs);
}

// [correct_1..4, guess_1..4, testlen, reflen]: BleuScorer's totals.
std::size_t CocoBleuScorer::sums_width() const {
  return 2 * kBleuMaxOrder + 2;
}

void CocoBleuScorer::project(const double* row, double* out) const {
  const BleuCounts counts = bleu_counts_of_row(row);
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    out[k] = static_cast<double>(counts.matches[k]);
    out[kBleuMaxOrder + k] = static_cast<double>(counts.hyp_ngrams(k));
  }
  out[2 * kBleuMaxOrder] = static_cast<double>(counts.hyp_length);
  out[2 * kBleuMaxOrder + 1] = static_cast<double>(counts.closest_ref_length);
}

void CocoBleuScorer::finish(const double* sums, std::size_t n_rows, double* out) const {
  std::array<std::uint64_t, kBleuMaxOrder> correct{}, guess{};
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    correct[k] = static_cast<std::uint64_t>(sums[k]);
    guess[k] = static_cast<std::uint64_t>(sums[kBleuMaxOrder + k]);
  }
  const auto values =
      n_rows == 0 ? std::array<double, kBleuMaxOrder>{}
                  : coco_bleu(correct, guess, static_cast<std::uint64_t>(sums[2 * kBleuMaxOrder]),
                              static_cast<std::uint64_t>(sums[2 * kBleuMaxOrder + 1]));
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) out[k] = values[k];
}

}  // namespace rrg::metrics
