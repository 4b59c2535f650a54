// Tests of the MT19937 engine that need no Python: the reference outputs of mt19937ar.c, the
// portable and AVX2 kernels against each other, the characteristic polynomial (derived again
// here by Berlekamp-Massey from the generator's output) and jump-ahead against plain stepping.
#include "rrg/stats/mt19937.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "rrg/stats/mt19937_jump.h"

namespace {

using rrg::stats::kMtDegree;
using rrg::stats::kMtWords;
using rrg::stats::Mt19937;

TEST(Mt19937, MatchesTheStandardLibraryEngine) {
  // std::mt19937 is specified to be MT19937 with init_genrand seeding; its 10000th output from
  // the default seed 5489 is 4123659995 ([rand.predef]).
  Mt19937 engine;
  std::mt19937 standard;
  for (int i = 0; i < 9999; ++i) ASSERT_EQ(engine.next32(), standard()) << "output " << i;
  EXPECT_EQ(engine.next32(), 4123659995u);
  engine.seed(12345u);
  standard.seed(12345u);
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(engine.next32(), standard()) << "output " << i;
}

TEST(Mt19937, InitByArrayMatchesTheReferenceOutput) {
  // mt19937ar.c's main(): init_by_array({0x123, 0x234, 0x345, 0x456}) then genrand_int32().
  const std::uint32_t key[] = {0x123, 0x234, 0x345, 0x456};
  Mt19937 engine;
  engine.seed_by_array(key, 4);
  const std::uint32_t expected[] = {1067595299u, 955945823u, 477289528u, 4107218783u, 4228976476u};
  for (std::uint32_t e : expected) EXPECT_EQ(engine.next32(), e);
}

std::array<std::uint32_t, kMtWords> random_block(std::uint32_t seed) {
  std::mt19937 source(seed);
  std::array<std::uint32_t, kMtWords> block{};
  for (auto& w : block) w = source();
  return block;
}

TEST(Mt19937Kernels, Avx2AndPortableComputeTheSameWordsAndBits) {
  const auto* avx2 = rrg::stats::detail::avx2_mt19937_kernels();
  if (avx2 == nullptr) GTEST_SKIP() << "this CPU or build has no AVX2";
  const auto& portable = rrg::stats::detail::portable_mt19937_kernels();
  for (std::uint32_t seed = 0; seed < 50; ++seed) {
    auto a = random_block(seed), b = a;
    std::uint64_t bits_a[5], bits_b[5];
    portable.twist_and_decide(a.data(), bits_a);
    avx2->twist_and_decide(b.data(), bits_b);
    ASSERT_EQ(a, b) << "seed " << seed;
    for (int w = 0; w < 5; ++w) ASSERT_EQ(bits_a[w], bits_b[w]) << "seed " << seed << " word " << w;
    portable.twist(a.data());
    avx2->twist(b.data());
    ASSERT_EQ(a, b);
  }
}

TEST(Mt19937Kernels, DecisionBitIsTheTopBitOfTheTemperedEvenWord) {
  for (const auto* kernels : {&rrg::stats::detail::portable_mt19937_kernels(),
                              rrg::stats::detail::avx2_mt19937_kernels()}) {
    if (kernels == nullptr) continue;
    auto block = random_block(7);
    std::uint64_t bits[5];
    kernels->decide(block.data(), bits);
    for (std::size_t j = 0; j < kMtWords / 2; ++j) {
      const std::uint32_t top = rrg::stats::mt19937_temper(block[2 * j]) >> 31;
      ASSERT_EQ((bits[j / 64] >> (j % 64)) & 1u, top) << kernels->name << " draw " << j;
    }
    EXPECT_EQ(bits[4] >> 56, 0u) << kernels->name << ": unused bits must be clear";
  }
}

// Berlekamp-Massey over GF(2): the minimal polynomial of a bit sequence, as the exponents of
// its characteristic polynomial x^L c(1/x), highest first.
std::vector<int> minimal_polynomial_exponents(const std::vector<std::uint8_t>& s) {
  const std::size_t n = s.size();
  const std::size_t words = n / 64 + 2;
  std::vector<std::uint64_t> c(words, 0), b(words, 0), t;
  c[0] = b[0] = 1;
  auto bit = [](const std::vector<std::uint64_t>& v, std::size_t i) {
    return (v[i / 64] >> (i % 64)) & 1u;
  };
  auto add_shifted = [&](std::vector<std::uint64_t>& dst, const std::vector<std::uint64_t>& src,
                         std::size_t shift) {
    const std::size_t ws = shift / 64, bs = shift % 64;
    for (std::size_t w = words; w-- > ws;) {
      std::uint64_t v = src[w - ws] << bs;
      if (bs != 0 && w > ws) v |= src[w - ws - 1] >> (64 - bs);
      dst[w] ^= v;
    }
  };
  std::size_t length = 0, m = 1;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned d = s[i];
    for (std::size_t k = 1; k <= length; ++k) d ^= bit(c, k) & s[i - k];
    if (d == 0) {
      ++m;
    } else if (2 * length <= i) {
      t = c;
      add_shifted(c, b, m);
      length = i + 1 - length;
      b = t;
      m = 1;
    } else {
      add_shifted(c, b, m);
      ++m;
    }
  }
  std::vector<int> exponents;
  for (std::size_t k = 0; k <= length; ++k) {
    if (bit(c, k)) exponents.push_back(static_cast<int>(length - k));
  }
  return exponents;
}

TEST(Mt19937Jump, CharacteristicPolynomialIsTheMinimalPolynomialOfTheOutput) {
  // The lowest bit of 2 * 19937 consecutive outputs determines the degree-19937 recurrence.
  Mt19937 engine;
  engine.seed(20240611u);
  std::vector<std::uint8_t> bits(2 * kMtDegree);
  for (auto& b : bits) b = engine.next32() & 1u;
  EXPECT_EQ(minimal_polynomial_exponents(bits), rrg::stats::mt19937_characteristic_exponents());
}

TEST(Mt19937Jump, PowersOfXBelowTheDegreeAreMonomials) {
  for (std::uint64_t e : {0ull, 1ull, 63ull, 64ull, 19936ull}) {
    const auto p = rrg::stats::mt19937_x_power_mod(e);
    for (std::size_t w = 0; w < p.size(); ++w) {
      ASSERT_EQ(p[w], w == e / 64 ? std::uint64_t{1} << (e % 64) : 0u) << "x^" << e;
    }
  }
  // x^19937 = the low terms of the characteristic polynomial.
  const auto p = rrg::stats::mt19937_x_power_mod(kMtDegree);
  std::vector<std::uint64_t> expected(p.size(), 0);
  const auto& exponents = rrg::stats::mt19937_characteristic_exponents();
  for (std::size_t k = 1; k < exponents.size(); ++k) {
    expected[exponents[k] / 64] |= std::uint64_t{1} << (exponents[k] % 64);
  }
  EXPECT_EQ(p, expected);
}

// `outputs` outputs of `engine` by plain stepping.
void step(Mt19937& engine, std::uint64_t outputs) {
  for (std::uint64_t i = 0; i < outputs; ++i) engine.next32();
}

TEST(Mt19937Jump, DiscardEqualsSteppingForShortAndLongDistances) {
  // Distances on both sides of the jump threshold, at and around block boundaries, from a
  // freshly seeded state (position 624) and from the middle of a block.
  // (The threshold is 32768 blocks: see kJumpMinBlocks in mt19937.cpp.)
  const std::vector<std::uint64_t> distances{0,
                                             1,
                                             623,
                                             624,
                                             625,
                                             1248,
                                             99'999,
                                             624 * 32767,
                                             624 * 32768,
                                             624 * 32768 + 1,
                                             624 * 32769 - 1,
                                             30'345'677};
  for (std::size_t start : {std::size_t{0}, std::size_t{1}, std::size_t{311}, std::size_t{624}}) {
    for (std::uint64_t k : distances) {
      Mt19937 stepped, jumped;
      stepped.seed(4242u);
      step(stepped, start);
      jumped = stepped;
      step(stepped, k);
      jumped.discard(k);
      ASSERT_EQ(jumped.position(), stepped.position()) << "start " << start << " k " << k;
      ASSERT_EQ(jumped.words(), stepped.words()) << "start " << start << " k " << k;
      for (int i = 0; i < 700; ++i) ASSERT_EQ(jumped.next32(), stepped.next32());
    }
  }
}

TEST(Mt19937Jump, JumpBlocksEqualsTwisting) {
  // Directly: jump by q blocks == q twists, also for states seeded by init_by_array (whose first
  // word's low bits are not the sequence's) and for q below the discard threshold.
  const std::uint32_t key[] = {12345u};
  for (std::uint64_t q : {1ull, 2ull, 3ull, 1000ull, 31250ull}) {
    Mt19937 twisted;
    twisted.seed_by_array(key, 1);
    auto words = twisted.words();
    for (std::uint64_t b = 0; b < q; ++b) twisted.twist();
    rrg::stats::mt19937_jump_blocks(words.data(), q);
    ASSERT_EQ(words, twisted.words()) << q << " blocks";
  }
}

TEST(Mt19937Jump, JumpsCompose) {
  // One jump of a + b equals a jump of a then a jump of b (distances far beyond stepping).
  const std::uint64_t a = 3'000'000'017ull, b = 5'000'000'029ull;
  Mt19937 once, twice;
  once.seed(99u);
  twice = once;
  once.discard(a + b);
  twice.discard(a);
  twice.discard(b);
  EXPECT_EQ(once.words(), twice.words());
  EXPECT_EQ(once.position(), twice.position());
}

}  // namespace
