// MaskedIntegerSum against plain summation, for unsigned and signed values of every width.
#include "rrg/stats/masked_sum.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace {

using rrg::stats::MaskedIntegerSum;

std::int64_t naive(const std::vector<std::int64_t>& values,
                   const std::vector<std::uint64_t>& mask) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if ((mask[i / 64] >> (i % 64)) & 1u) sum += values[i];
  }
  return sum;
}

TEST(MaskedIntegerSum, EqualsPlainSummation) {
  std::mt19937_64 rng(5);
  const std::vector<std::pair<std::int64_t, std::int64_t>> ranges{
      {0, 0},        {0, 1},         {0, 255},
      {-1, 0},       {-3, 3},        {-40, 7},
      {-1000, 1000}, {0, 1ll << 40}, {-(1ll << 50), 1ll << 50}};
  for (std::size_t n : {1, 63, 64, 65, 382, 3000}) {
    for (const auto& [low, high] : ranges) {
      std::uniform_int_distribution<std::int64_t> value(low, high);
      std::vector<std::int64_t> values(n);
      for (auto& v : values) v = value(rng);
      const MaskedIntegerSum sum(values);
      std::int64_t total = 0;
      for (auto v : values) total += v;
      EXPECT_EQ(sum.total(), total);
      std::vector<std::uint64_t> mask((n + 63) / 64);
      for (int trial = 0; trial < 20; ++trial) {
        for (auto& w : mask) w = rng();
        // Bits past n may be anything: the planes are zero there.
        EXPECT_EQ(sum(mask.data()), naive(values, mask))
            << "n " << n << " range " << low << ".." << high;
      }
      std::fill(mask.begin(), mask.end(), ~0ull);
      EXPECT_EQ(sum(mask.data()), total);
    }
  }
}

TEST(MaskedIntegerSum, ExtremeValuesUseAllPlanes) {
  const std::vector<std::int64_t> values{INT64_MIN / 4, INT64_MAX / 4, -1, 0, 1};
  const MaskedIntegerSum sum(values);
  for (std::uint64_t m = 0; m < 32; ++m) {
    const std::vector<std::uint64_t> mask{m};
    EXPECT_EQ(sum(mask.data()), naive(values, mask)) << m;
  }
}

TEST(MaskedIntegerSum, HardwareAndPortablePopcountsAgree) {
  std::mt19937_64 rng(9);
  std::vector<std::uint64_t> a(100), b(100);
  for (auto& w : a) w = rng();
  for (auto& w : b) w = rng();
  for (std::size_t words : {0, 1, 7, 100}) {
    EXPECT_EQ(rrg::stats::detail::and_popcount(a.data(), b.data(), words),
              rrg::stats::detail::and_popcount_portable(a.data(), b.data(), words));
  }
}

}  // namespace
