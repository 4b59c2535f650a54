// Masked integer sums by bit planes (see masked_sum.h).
#include "rrg/stats/masked_sum.h"

#include <algorithm>

namespace rrg::stats {
namespace detail {

// Without hardware popcount, __builtin_popcountll is a library call; the portable version
// counts with shifts and masks.
std::uint64_t and_popcount_portable(const std::uint64_t* a, const std::uint64_t* b,
                                    std::size_t words) {
  std::uint64_t total = 0;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t v = a[w] & b[w];
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    total += (v * 0x0101010101010101ull) >> 56;
  }
  return total;
}

namespace {

#if defined(__x86_64__) || defined(__i386__)
// Four independent sums, so that the adds do not wait on each other.
__attribute__((target("popcnt"))) std::uint64_t and_popcount_hardware(const std::uint64_t* a,
                                                                      const std::uint64_t* b,
                                                                      std::size_t words) {
  std::uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t w = 0;
  for (; w + 4 <= words; w += 4) {
    s0 += static_cast<std::uint64_t>(__builtin_popcountll(a[w] & b[w]));
    s1 += static_cast<std::uint64_t>(__builtin_popcountll(a[w + 1] & b[w + 1]));
    s2 += static_cast<std::uint64_t>(__builtin_popcountll(a[w + 2] & b[w + 2]));
    s3 += static_cast<std::uint64_t>(__builtin_popcountll(a[w + 3] & b[w + 3]));
  }
  for (; w < words; ++w) s0 += static_cast<std::uint64_t>(__builtin_popcountll(a[w] & b[w]));
  return s0 + s1 + s2 + s3;
}
#endif

using AndPopcount = std::uint64_t (*)(const std::uint64_t*, const std::uint64_t*, std::size_t);

AndPopcount chosen_and_popcount() {
#if defined(__x86_64__) || defined(__i386__)
  static const AndPopcount chosen = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("popcnt") ? and_popcount_hardware : and_popcount_portable;
  }();
  return chosen;
#else
  return and_popcount_portable;
#endif
}
}  // namespace

std::uint64_t and_popcount(const std::uint64_t* a, const std::uint64_t* b, std::size_t words) {
  return chosen_and_popcount()(a, b, words);
}

}  // namespace detail

namespace {

// Bits needed for every value in two's complement (signed) or plain binary.
std::size_t bits_needed(std::int64_t low, std::int64_t high, bool is_signed) {
  std::size_t bits = 0;
  if (!is_signed) {
    auto h = static_cast<std::uint64_t>(high);
    while (h != 0) {
      ++bits;
      h >>= 1;
    }
    return bits;
  }
  // Smallest b with -2^(b-1) <= low and high <= 2^(b-1) - 1.
  for (bits = 1; bits < 64; ++bits) {
    const std::int64_t lo = -(std::int64_t{1} << (bits - 1));
    const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1;
    if (low >= lo && high <= hi) return bits;
  }
  return 64;
}

}  // namespace

MaskedIntegerSum::MaskedIntegerSum(const std::int64_t* values, std::size_t count)
    : count_(count), words_((count + 63) / 64) {
  if (count == 0) return;
  const auto [low, high] = std::minmax_element(values, values + count);
  signed_ = *low < 0;
  planes_ = bits_needed(*low, *high, signed_);
  bits_.assign(planes_ * words_, 0);
  for (std::size_t i = 0; i < count; ++i) {
    total_ += values[i];
    const auto v = static_cast<std::uint64_t>(values[i]);
    for (std::size_t p = 0; p < planes_; ++p) {
      bits_[p * words_ + i / 64] |= ((v >> p) & 1u) << (i % 64);
    }
  }
}

std::int64_t MaskedIntegerSum::operator()(const std::uint64_t* mask) const {
  if (planes_ == 0) return 0;
  // Bits past count_ are zero in every plane, so they cannot contribute.
  const auto count_and = detail::chosen_and_popcount();
  std::uint64_t sum = 0;  // modulo 2^64, which is exact two's complement arithmetic
  for (std::size_t p = 0; p < planes_; ++p) {
    const std::uint64_t n = count_and(mask, bits_.data() + p * words_, words_);
    const std::uint64_t weighted = n << p;
    sum = (signed_ && p + 1 == planes_) ? sum - weighted : sum + weighted;
  }
  return static_cast<std::int64_t>(sum);
}

}  // namespace rrg::stats
