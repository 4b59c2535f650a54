// Clipped n-gram counting for BLEU (see bleu_counts.h).
//
// Per order n, the hypothesis n-grams go into a small open-addressing table keyed by a rolling
// hash of their token ids; every hash hit is confirmed by comparing the ids, so the counts are
// exact. Each reference is then scanned once per order, counting only n-grams the hypothesis
// has. An n-gram can only match if its (n-1)-gram prefix matches, so orders stop at the first
// order without matches.
#include "rrg/metrics/bleu_counts.h"

#include <algorithm>
#include <cstdlib>

namespace rrg::metrics {
namespace {

inline std::uint64_t extend_hash(std::uint64_t h, TokenId id) {
  h = (h ^ (id + 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

}  // namespace

BleuCounts BleuCounter::count(TokenSpan hyp, const std::vector<TokenSpan>& refs) {
  BleuCounts out;
  out.hyp_length = hyp.size;
  bool first = true;
  for (const TokenSpan& ref : refs) {
    const std::size_t distance = ref.size > hyp.size ? ref.size - hyp.size : hyp.size - ref.size;
    const std::size_t best = out.closest_ref_length > hyp.size ? out.closest_ref_length - hyp.size
                                                               : hyp.size - out.closest_ref_length;
    if (first || distance < best || (distance == best && ref.size < out.closest_ref_length)) {
      out.closest_ref_length = ref.size;
    }
    first = false;
  }

  std::size_t ref_total = 0;
  for (const TokenSpan& ref : refs) ref_total += ref.size;
  hyp_hashes_.assign(hyp.size, 0);
  ref_hashes_.assign(ref_total, 0);

  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    const std::size_t order = k + 1;
    if (hyp.size < order) break;
    const std::size_t n_hyp = hyp.size - k;
    // hash of the n-gram starting at i, extended by one token per order.
    for (std::size_t i = 0; i < n_hyp; ++i)
      hyp_hashes_[i] = extend_hash(hyp_hashes_[i], hyp[i + k]);

    std::size_t table_size = 16;
    while (table_size < 2 * n_hyp) table_size *= 2;
    const std::size_t mask = table_size - 1;
    slots_.assign(table_size, -1);
    entries_.clear();
    const auto same_ngram = [&](const TokenId* a, const TokenId* b) {
      return std::equal(a, a + order, b);
    };
    for (std::size_t i = 0; i < n_hyp; ++i) {
      const std::uint64_t h = hyp_hashes_[i];
      std::size_t s = h & mask;
      while (true) {
        const std::int32_t e = slots_[s];
        if (e < 0) {
          slots_[s] = static_cast<std::int32_t>(entries_.size());
          entries_.push_back(Entry{h, static_cast<std::uint32_t>(i), 1, 0, 0});
          break;
        }
        Entry& entry = entries_[e];
        if (entry.hash == h && same_ngram(hyp.data + entry.position, hyp.data + i)) {
          ++entry.count;
          break;
        }
        s = (s + 1) & mask;
      }
    }

    std::size_t offset = 0;
    for (const TokenSpan& ref : refs) {
      std::uint64_t* ref_hash = ref_hashes_.data() + offset;
      offset += ref.size;
      if (ref.size < order) continue;
      const std::size_t n_ref = ref.size - k;
      for (std::size_t j = 0; j < n_ref; ++j) {
        ref_hash[j] = extend_hash(ref_hash[j], ref[j + k]);
        const std::uint64_t h = ref_hash[j];
        for (std::size_t s = h & mask;; s = (s + 1) & mask) {
          const std::int32_t e = slots_[s];
          if (e < 0) break;
          Entry& entry = entries_[e];
          if (entry.hash == h && same_ngram(hyp.data + entry.position, ref.data + j)) {
            ++entry.current;
            break;
          }
        }
      }
      for (Entry& entry : entries_) {
        entry.max_ref = std::max(entry.max_ref, entry.current);
        entry.current = 0;
      }
    }

    std::size_t matches = 0;
    for (const Entry& entry : entries_) matches += std::min(entry.count, entry.max_ref);
    out.matches[k] = matches;
    if (matches == 0) break;
  }
  return out;
}

}  // namespace rrg::metrics
