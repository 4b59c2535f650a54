// pycocoevalcap BLEU (see coco_bleu_scorer.h). Every floating-point operation follows
// BleuScorer.compute_score in the same order, so values match to the last bit.
#include "rrg/metrics/lexical/coco_bleu_scorer.h"

#include <cmath>

#include "rrg/metrics/lexical/bleu_counts.h"
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

std::vector<std::string> CocoBleuScorer::names() const {
  return {"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"};
}

MetricScores CocoBleuScorer::score(const TextCorpus& corpus) const {
  MetricScores out;
  out.names = names();
  out.corpus.assign(kBleuMaxOrder, 0.0);
  out.per_sample.assign(kBleuMaxOrder, std::vector<double>(corpus.size()));
  const std::string nrefs = reference_count_label(corpus);
  for (const std::string& name : out.names) {
    Signature signature(name);
    signature.set("conv", "pycocoevalcap-1.2")
        .set("tok", "split")
        .set("clean", "")  // filled in by the pipeline that cleaned the texts
        .set("opt", "closest")
        .set("smooth", "tiny-1e-15,small-1e-9")
        .set("nrefs", nrefs);
    out.signatures.push_back(signature);
  }
  if (corpus.size() == 0) return out;

  CorpusTokenizer tokenizer(Tokenizer::kPythonSplit);
  TokenChunk chunk;
  BleuCounter counter;
  std::vector<TokenSpan> refs;
  std::array<std::uint64_t, kBleuMaxOrder> total_correct{}, total_guess{};
  std::uint64_t total_testlen = 0, total_reflen = 0;
  for (std::size_t first = 0; first < corpus.size(); first += kChunkSamples) {
    const std::size_t last = std::min(corpus.size(), first + kChunkSamples);
    tokenizer.tokenize(corpus, first, last, chunk);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      refs.clear();
      for (std::size_t r = 0; r < chunk.reference_count(i); ++r)
        refs.push_back(chunk.reference(i, r));
      const BleuCounts counts = counter.count(chunk.hypothesis(i), refs);
      std::array<std::uint64_t, kBleuMaxOrder> correct{}, guess{};
      for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
        correct[k] = counts.matches[k];
        guess[k] = counts.hyp_ngrams(k);
        total_correct[k] += correct[k];
        total_guess[k] += guess[k];
      }
      total_testlen += counts.hyp_length;
      total_reflen += counts.closest_ref_length;
      const auto values = coco_bleu(correct, guess, counts.hyp_length, counts.closest_ref_length);
      for (std::size_t k = 0; k < kBleuMaxOrder; ++k) out.per_sample[k][first + i] = values[k];
    }
  }
  const auto corpus_values = coco_bleu(total_correct, total_guess, total_testlen, total_reflen);
  out.corpus.assign(corpus_values.begin(), corpus_values.end());
  return out;
}

}  // namespace rrg::metrics
