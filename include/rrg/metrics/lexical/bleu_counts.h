// BLEU's sufficient statistics for one sample: lengths and clipped n-gram matches.
//
// Both BLEU conventions rrg reproduces (pycocoevalcap's BleuScorer and NLTK's corpus_bleu /
// sentence_bleu) reduce a sample to the same integers: the hypothesis length, the length of the
// reference closest to it (ties go to the shorter reference: pycocoevalcap's
// `min((abs(l - testlen), l))`, NLTK's closest_ref_length), and for n = 1..4 the number of
// hypothesis n-grams whose count is clipped by the largest count of that n-gram in any one
// reference ("modified precision" numerators). They differ only in how these integers become a
// score, so both scorers share this counter.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/scorer.h"

namespace rrg::metrics {

inline constexpr std::size_t kBleuMaxOrder = 4;

struct BleuCounts {
  std::size_t hyp_length = 0;
  std::size_t closest_ref_length = 0;
  std::array<std::size_t, kBleuMaxOrder> matches{};  // matches[k]: clipped (k+1)-gram matches

  // Number of (k+1)-grams in the hypothesis: max(0, hyp_length - k).
  std::size_t hyp_ngrams(std::size_t k) const { return hyp_length > k ? hyp_length - k : 0; }
};

// Counts samples; reuses its scratch buffers, so keep one per thread and call it repeatedly.
class BleuCounter {
 public:
  BleuCounts count(TokenSpan hypothesis, const std::vector<TokenSpan>& references);

 private:
  // Distinct hypothesis n-grams of the current order, as structure-of-arrays: an n-gram of up
  // to 4 token ids packed exactly into two 64-bit words (high, low).
  std::vector<std::int32_t> slots_;  // open addressing: index into the arrays below, or -1
  std::vector<std::uint64_t> key_high_;
  std::vector<std::uint64_t> key_low_;
  std::vector<std::uint32_t> count_;    // count in the hypothesis
  std::vector<std::uint32_t> max_ref_;  // largest count in one reference so far
  std::vector<std::uint32_t> current_;  // count in the reference being scanned
};

// The statistics row both BLEU scorers keep per sample (rrg/metrics/scorer.h):
// [hyp_length, closest_ref_length, matches of order 1, 2, 3, 4].
inline constexpr std::size_t kBleuRowWidth = 2 + kBleuMaxOrder;
BleuCounts bleu_counts_of_row(const double* row);

// The sample loop's worker that writes those rows (rrg/metrics/lexical/sample_loop.h).
class SampleWorker;
std::unique_ptr<SampleWorker> make_bleu_worker();

// Every sample's BLEU counts, texts tokenized with `tokenizer`, all references of each sample.
SampleStatistics bleu_statistics(const TextCorpus& corpus, Tokenizer tokenizer,
                                 std::size_t threads = 1);

}  // namespace rrg::metrics
