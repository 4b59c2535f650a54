// Both sums of a randomization trial in NumPy's pairwise order (see numpy_swapped_sums.h).
#include "rrg/metrics/numpy_swapped_sums.h"

#include <array>
#include <cstring>

namespace rrg::metrics {
namespace {

constexpr std::size_t kBlock = 128;   // NumPy's PW_BLOCKSIZE
constexpr std::size_t kChunk = 8192;  // NumPy's NPY_BUFSIZE: chunks summed left to right

// kSelect[m][j] is all ones when bit j of m is set: the blend masks of eight samples.
using SelectTable = std::array<std::array<std::uint64_t, 8>, 256>;
const SelectTable& select_table() {
  static const SelectTable table = [] {
    SelectTable t{};
    for (unsigned m = 0; m < 256; ++m) {
      for (unsigned j = 0; j < 8; ++j) t[m][j] = ((m >> j) & 1u) ? ~std::uint64_t{0} : 0;
    }
    return t;
  }();
  return table;
}

inline bool bit(const std::uint64_t* swap, std::size_t i) {
  return (swap[i / 64] >> (i % 64)) & 1u;
}

// The eight bits of samples i .. i + 7 (i a multiple of 8).
inline unsigned byte_at(const std::uint64_t* swap, std::size_t i) {
  return static_cast<unsigned>((swap[i / 64] >> (i % 64)) & 0xFFu);
}

struct Inputs {
  const double* a;
  const double* b;
  const std::uint64_t* swap;
  const SelectTable* select;
};

// Lane j of r1 / r2 gains sample i + j of system one / two.
__attribute__((always_inline)) inline void add_eight(const Inputs& in, std::size_t i, double* r1,
                                                     double* r2) {
  const auto& select = (*in.select)[byte_at(in.swap, i)];
  std::uint64_t a[8], b[8];
  std::memcpy(a, in.a + i, sizeof a);
  std::memcpy(b, in.b + i, sizeof b);
  for (std::size_t j = 0; j < 8; ++j) {
    const std::uint64_t differ = (a[j] ^ b[j]) & select[j];
    const std::uint64_t x_bits = a[j] ^ differ;  // swapped: b, else a
    const std::uint64_t y_bits = b[j] ^ differ;  // swapped: a, else b
    double x, y;
    std::memcpy(&x, &x_bits, sizeof x);
    std::memcpy(&y, &y_bits, sizeof y);
    r1[j] += x;
    r2[j] += y;
  }
}

// One of NumPy's blocks: samples first .. first + n - 1 with 8 <= n <= 128 (first is a multiple of
// 8: chunks start at multiples of 8192 and every split point is a multiple of 8 from its chunk's
// start), eight accumulators, combined as NumPy combines them, then the tail one by one.
__attribute__((always_inline)) inline SwappedSums block(const Inputs& in, std::size_t first,
                                                        std::size_t n) {
  SwappedSums out;
  double r1[8], r2[8];
  for (std::size_t j = 0; j < 8; ++j) {
    const bool s = bit(in.swap, first + j);
    r1[j] = s ? in.b[first + j] : in.a[first + j];
    r2[j] = s ? in.a[first + j] : in.b[first + j];
  }
  std::size_t i = 8;
  for (; i < n - (n % 8); i += 8) add_eight(in, first + i, r1, r2);
  out.first = ((r1[0] + r1[1]) + (r1[2] + r1[3])) + ((r1[4] + r1[5]) + (r1[6] + r1[7]));
  out.second = ((r2[0] + r2[1]) + (r2[2] + r2[3])) + ((r2[4] + r2[5]) + (r2[6] + r2[7]));
  for (; i < n; ++i) {
    const bool s = bit(in.swap, first + i);
    out.first += s ? in.b[first + i] : in.a[first + i];
    out.second += s ? in.a[first + i] : in.b[first + i];
  }
  return out;
}

using BlockFn = SwappedSums (*)(const Inputs&, std::size_t, std::size_t);

SwappedSums block_portable(const Inputs& in, std::size_t first, std::size_t n) {
  return block(in, first, n);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) SwappedSums block_avx2(const Inputs& in, std::size_t first,
                                                       std::size_t n) {
  return block(in, first, n);
}
#endif

// NumPy's pairwise_sum: below 8 values a plain loop from 0.0, up to 128 one block, above that
// the two halves (the first a multiple of 8 long) added.
SwappedSums pairwise(const Inputs& in, std::size_t first, std::size_t n, BlockFn block_fn) {
  if (n < 8) {
    SwappedSums out;
    for (std::size_t i = first; i < first + n; ++i) {
      const bool s = bit(in.swap, i);
      out.first += s ? in.b[i] : in.a[i];
      out.second += s ? in.a[i] : in.b[i];
    }
    return out;
  }
  if (n <= kBlock) return block_fn(in, first, n);
  std::size_t half = n / 2;
  half -= half % 8;
  const SwappedSums left = pairwise(in, first, half, block_fn);
  const SwappedSums right = pairwise(in, first + half, n - half, block_fn);
  return {left.first + right.first, left.second + right.second};
}

SwappedSums chunked(const double* a, const double* b, const std::uint64_t* swap, std::size_t count,
                    BlockFn block_fn) {
  const Inputs in{a, b, swap, &select_table()};
  SwappedSums sum;
  for (std::size_t start = 0; start < count; start += kChunk) {
    const std::size_t n = count - start < kChunk ? count - start : kChunk;
    const SwappedSums part = pairwise(in, start, n, block_fn);
    sum.first += part.first;
    sum.second += part.second;
  }
  return sum;
}

}  // namespace

namespace detail {
SwappedSums numpy_swapped_sums_portable(const double* a, const double* b, const std::uint64_t* swap,
                                        std::size_t count) {
  return chunked(a, b, swap, count, block_portable);
}
}  // namespace detail

SwappedSums numpy_swapped_sums(const double* a, const double* b, const std::uint64_t* swap,
                               std::size_t count) {
#if defined(__x86_64__) || defined(__i386__)
  static const bool avx2 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  if (avx2) return chunked(a, b, swap, count, block_avx2);
#endif
  return detail::numpy_swapped_sums_portable(a, b, swap, count);
}

}  // namespace rrg::metrics
