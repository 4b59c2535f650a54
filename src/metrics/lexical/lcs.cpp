// Bit-parallel LCS length (see lcs.h).
//
// With the shorter sequence `p` (m tokens) as the pattern, M[t] has bit i set when p[i] == t.
// V starts as all ones; for each token t of the longer sequence: U = V & M[t],
// V = (V + U) | (V & ~M[t]). The LCS length is the number of zero bits among V's low m bits.
// Multi-word vectors propagate the carry of the addition from the low word up.
#include "rrg/metrics/lexical/lcs.h"

#include <bitset>
#include <utility>

namespace rrg::metrics {
namespace {

inline std::size_t hash_id(TokenId id) {
  return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ull) >> 32);
}

}  // namespace

std::size_t LcsCalculator::length(TokenSpan a, TokenSpan b) {
  if (a.size > b.size) std::swap(a, b);
  const std::size_t m = a.size;
  if (m == 0) return 0;
  const std::size_t words = (m + 63) / 64;

  std::size_t table_size = 16;
  while (table_size < 2 * m) table_size *= 2;
  const std::size_t mask = table_size - 1;
  slots_.assign(table_size, -1);
  slot_keys_.resize(table_size);
  masks_.clear();
  for (std::size_t i = 0; i < m; ++i) {
    std::size_t s = hash_id(a[i]) & mask;
    while (slots_[s] >= 0 && slot_keys_[s] != a[i]) s = (s + 1) & mask;
    if (slots_[s] < 0) {
      slots_[s] = static_cast<std::int32_t>(masks_.size() / words);
      slot_keys_[s] = a[i];
      masks_.resize(masks_.size() + words, 0);
    }
    masks_[slots_[s] * words + i / 64] |= std::uint64_t{1} << (i % 64);
  }

  v_.assign(words, ~std::uint64_t{0});
  for (std::size_t j = 0; j < b.size; ++j) {
    std::size_t s = hash_id(b[j]) & mask;
    while (slots_[s] >= 0 && slot_keys_[s] != b[j]) s = (s + 1) & mask;
    if (slots_[s] < 0) continue;  // M[t] = 0 leaves V unchanged
    const std::uint64_t* match = masks_.data() + slots_[s] * words;
    std::uint64_t carry = 0;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t v = v_[w];
      const std::uint64_t u = v & match[w];
      const std::uint64_t partial = v + u;
      const std::uint64_t sum = partial + carry;
      carry = (partial < v || sum < partial) ? 1 : 0;
      v_[w] = sum | (v & ~match[w]);
    }
  }

  std::size_t zeros = 0;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t v = v_[w];
    if (w == words - 1 && m % 64 != 0) v |= ~std::uint64_t{0} << (m % 64);  // ignore unused bits
    zeros += 64 - std::bitset<64>(v).count();
  }
  return zeros;
}

}  // namespace rrg::metrics
