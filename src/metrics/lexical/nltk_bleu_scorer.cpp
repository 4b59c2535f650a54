// NLTK 3.8 BLEU (see nltk_bleu_scorer.h). The float operations follow corpus_bleu in order.
#include "rrg/metrics/lexical/nltk_bleu_scorer.h"

#include <cmath>

#include "rrg/metrics/lexical/bleu_counts.h"
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

std::vector<std::string> NltkBleuScorer::names() const {
  return {"BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4"};
}

MetricScores NltkBleuScorer::score(const TextCorpus& corpus) const {
  MetricScores out;
  out.names = names();
  out.corpus.assign(kBleuMaxOrder, 0.0);
  out.per_sample.assign(kBleuMaxOrder, std::vector<double>(corpus.size()));
  const std::string nrefs = reference_count_label(corpus);
  for (const std::string& name : out.names) {
    Signature signature(name);
    signature.set("conv", "nltk-3.8")
        .set("tok", "lower-split")
        .set("clean", "")  // filled in by the pipeline that cleaned the texts
        .set("weights", "uniform")
        .set("smooth", "method1-eps0.1")
        .set("nrefs", nrefs);
    out.signatures.push_back(signature);
  }
  if (corpus.size() == 0) return out;

  CorpusTokenizer tokenizer(Tokenizer::kLowerPythonSplit);
  TokenChunk chunk;
  BleuCounter counter;
  std::vector<TokenSpan> refs;
  NltkTotals corpus_totals;
  for (std::size_t first = 0; first < corpus.size(); first += kChunkSamples) {
    const std::size_t last = std::min(corpus.size(), first + kChunkSamples);
    tokenizer.tokenize(corpus, first, last, chunk);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      refs.clear();
      for (std::size_t r = 0; r < chunk.reference_count(i); ++r)
        refs.push_back(chunk.reference(i, r));
      const BleuCounts counts = counter.count(chunk.hypothesis(i), refs);
      NltkTotals sample;
      for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
        sample.numerators[k] = counts.matches[k];
        // modified_precision: denominator = max(1, number of hypothesis n-grams)
        sample.denominators[k] = std::max<std::uint64_t>(1, counts.hyp_ngrams(k));
        corpus_totals.numerators[k] += sample.numerators[k];
        corpus_totals.denominators[k] += sample.denominators[k];
      }
      sample.hyp_length = counts.hyp_length;
      sample.ref_length = counts.closest_ref_length;
      corpus_totals.hyp_length += sample.hyp_length;
      corpus_totals.ref_length += sample.ref_length;
      const auto values = nltk_bleu(sample);
      for (std::size_t k = 0; k < kBleuMaxOrder; ++k) out.per_sample[k][first + i] = values[k];
    }
  }
  const auto corpus_values = nltk_bleu(corpus_totals);
  out.corpus.assign(corpus_values.begin(), corpus_values.end());
  return out;
}

}  // namespace rrg::metrics
