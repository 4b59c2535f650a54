// numpy_swapped_sums against numpy_sum_by (NumPy's order, itself tested against NumPy in
// python_math_test) on the mixed arrays of random trials, bit for bit, for the kernel this CPU
// runs and for the portable one.
#include "rrg/metrics/numpy_swapped_sums.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "rrg/metrics/python_math.h"

namespace {

using rrg::metrics::numpy_sum_by;
using rrg::metrics::numpy_swapped_sums;
using rrg::metrics::SwappedSums;
using rrg::metrics::detail::numpy_swapped_sums_portable;

std::uint64_t bits_of(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

bool swapped(const std::vector<std::uint64_t>& mask, std::size_t i) {
  return (mask[i / 64] >> (i % 64)) & 1u;
}

// Values like per-sample scores (in [0, 1], many repeated, some zeros of either sign) and
// wide-ranging ones that make the summation order visible in the last bits.
std::vector<double> values(std::mt19937_64& rng, std::size_t n, bool wide) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = unit(rng);
    if (wide) {
      v[i] = (u - 0.5) * std::ldexp(1.0, static_cast<int>(rng() % 80) - 40);
    } else {
      v[i] = u < 0.1 ? 0.0 : (u < 0.15 ? -0.0 : u);
    }
  }
  return v;
}

TEST(NumpySwappedSums, EqualNumpyOrderBitForBitOnRandomTrials) {
  std::mt19937_64 rng(20261204);
  const std::size_t sizes[] = {0,   1,   7,   8,   9,    15,   16,   127,  128,   129,  255,
                               256, 257, 300, 999, 3000, 8191, 8192, 8193, 16400, 25000};
  for (const std::size_t n : sizes) {
    for (const bool wide : {false, true}) {
      const std::vector<double> a = values(rng, n, wide), b = values(rng, n, wide);
      for (int trial = 0; trial < 8; ++trial) {
        std::vector<std::uint64_t> mask((n + 63) / 64 + 1, 0);
        for (auto& w : mask) w = trial == 0 ? 0 : (trial == 1 ? ~std::uint64_t{0} : rng());
        // Bits past n are not samples; they must not matter.
        const double first =
            numpy_sum_by(n, [&](std::size_t i) { return swapped(mask, i) ? b[i] : a[i]; });
        const double second =
            numpy_sum_by(n, [&](std::size_t i) { return swapped(mask, i) ? a[i] : b[i]; });
        const SwappedSums fast = numpy_swapped_sums(a.data(), b.data(), mask.data(), n);
        const SwappedSums portable =
            numpy_swapped_sums_portable(a.data(), b.data(), mask.data(), n);
        SCOPED_TRACE("n=" + std::to_string(n) + " wide=" + std::to_string(wide) +
                     " trial=" + std::to_string(trial));
        EXPECT_EQ(bits_of(fast.first), bits_of(first));
        EXPECT_EQ(bits_of(fast.second), bits_of(second));
        EXPECT_EQ(bits_of(portable.first), bits_of(first));
        EXPECT_EQ(bits_of(portable.second), bits_of(second));
      }
    }
  }
}

TEST(NumpySwappedSums, AllZeroMaskIsTheTwoSums) {
  const std::vector<double> a = {0.25, 0.5, 1.0, 0.125, 0.0, 0.75, 0.5, 0.5, 0.25, 1.0};
  const std::vector<double> b = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
  const std::vector<std::uint64_t> none(1, 0), all(1, ~std::uint64_t{0});
  const SwappedSums kept = numpy_swapped_sums(a.data(), b.data(), none.data(), a.size());
  EXPECT_EQ(kept.first, rrg::metrics::numpy_sum(a.data(), a.size()));
  EXPECT_EQ(kept.second, 10.0);
  const SwappedSums exchanged = numpy_swapped_sums(a.data(), b.data(), all.data(), a.size());
  EXPECT_EQ(exchanged.first, 10.0);
  EXPECT_EQ(exchanged.second, rrg::metrics::numpy_sum(a.data(), a.size()));
}

}  // namespace
