// PythonRandom against CPython's random.Random itself (/usr/bin/python3 at test time): the first
// 10^5 values of random() for seeds of every size, the state after seeding, the swap
// decisions and skipping by jump-ahead. Doubles are compared bit for bit.
#include "rrg/stats/python_random.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "python_oracle.h"
#include "rrg/core/errors.h"

namespace {

using rrg::stats::python_seed_key;
using rrg::stats::PythonRandom;
using rrg::stats::testing::as_doubles;
using rrg::stats::testing::run_python;

constexpr std::size_t kDraws = 100000;

// random.Random(int(seed)).random() `count` times, as packed doubles.
std::vector<double> python_draws(const std::string& seed, std::size_t count, std::size_t skip = 0) {
  return as_doubles(run_python(R"PY(
import random, sys
from array import array
seed, count, skip = sys.stdin.read().split()
rng = random.Random(int(seed))
for _ in range(int(skip)): rng.random()
sys.stdout.buffer.write(array('d', (rng.random() for _ in range(int(count)))).tobytes())
)PY",
                               seed + " " + std::to_string(count) + " " + std::to_string(skip)));
}

const std::vector<std::string>& seeds() {
  static const std::vector<std::string> s{
      "0",
      "1",
      "12345",
      "42",
      "4294967295",
      "4294967296",
      "4294967301" /* 2^32 + 5 */,
      "18446744073709551615" /* 2^64 - 1 */,
      "-12345",
      "340282366920938463463374607431768211457" /* 2^128 + 1 */};
  return s;
}

TEST(PythonRandom, FirstDrawsEqualCPythonForSeedsOfEverySize) {
  RRG_REQUIRE_PYTHON();
  for (const std::string& seed : seeds()) {
    const std::vector<double> expected = python_draws(seed, kDraws);
    ASSERT_EQ(expected.size(), kDraws) << seed;
    PythonRandom rng(python_seed_key(seed));
    for (std::size_t i = 0; i < kDraws; ++i) {
      const double got = rng.random();
      ASSERT_EQ(got, expected[i]) << "seed " << seed << " draw " << i;
    }
  }
}

TEST(PythonRandom, IntegerAndDecimalSeedsGiveTheSameKey) {
  EXPECT_EQ(python_seed_key(std::uint64_t{0}), std::vector<std::uint32_t>{0});
  EXPECT_EQ(python_seed_key("0"), std::vector<std::uint32_t>{0});
  EXPECT_EQ(python_seed_key("000"), std::vector<std::uint32_t>{0});
  EXPECT_EQ(python_seed_key(std::uint64_t{12345}), python_seed_key("12345"));
  EXPECT_EQ(python_seed_key(std::uint64_t{12345}), python_seed_key("-12345"));
  EXPECT_EQ(python_seed_key(std::uint64_t{4294967301ull}), (std::vector<std::uint32_t>{5, 1}));
  EXPECT_EQ(python_seed_key(UINT64_MAX), python_seed_key("18446744073709551615"));
  EXPECT_EQ(python_seed_key("18446744073709551616"), (std::vector<std::uint32_t>{0, 0, 1}));
  EXPECT_THROW(python_seed_key("12a"), rrg::InputError);
  EXPECT_THROW(python_seed_key(""), rrg::InputError);
  EXPECT_THROW(python_seed_key("-"), rrg::InputError);
}

TEST(PythonRandom, StateAfterSeedingEqualsGetstate) {
  RRG_REQUIRE_PYTHON();
  for (const std::string& seed : {std::string("0"), std::string("12345"),
                                  std::string("340282366920938463463374607431768211457")}) {
    const std::vector<double> state = as_doubles(run_python(R"PY(
import random, sys
from array import array
version, internal, gauss = random.Random(int(sys.stdin.read())).getstate()
sys.stdout.buffer.write(array('d', internal).tobytes())
)PY",
                                                            seed));
    ASSERT_EQ(state.size(), 625u);
    PythonRandom rng(python_seed_key(seed));
    for (std::size_t i = 0; i < 624; ++i) {
      ASSERT_EQ(static_cast<double>(rng.engine().words()[i]), state[i]) << seed << " word " << i;
    }
    EXPECT_EQ(static_cast<double>(rng.engine().position()), state[624]);
  }
}

// RadEval's decisions: swap when random() >= 0.5.
std::vector<bool> decisions(const std::vector<double>& draws, std::size_t first,
                            std::size_t count) {
  std::vector<bool> out;
  for (std::size_t i = first; i < first + count; ++i) out.push_back(draws[i] >= 0.5);
  return out;
}

std::vector<bool> unpack(const std::vector<std::uint64_t>& bits, std::size_t count) {
  std::vector<bool> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back((bits[i / 64] >> (i % 64)) & 1u);
  return out;
}

TEST(PythonRandom, SwapBitsAreRadEvalsDecisionsInterleavedWithRandom) {
  RRG_REQUIRE_PYTHON();
  const std::vector<double> draws = python_draws("12345", kDraws);
  PythonRandom rng(12345);
  // Mixed lengths and single random() calls in between, so that the block cache is entered
  // mid-block, exactly at block ends, and after random() has twisted on its own.
  const std::vector<std::size_t> lengths{1, 63, 64, 65, 311, 312, 313, 1, 0, 3000, 5, 20000, 7};
  std::size_t at = 0;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t length : lengths) {
      std::vector<std::uint64_t> bits(PythonRandom::words_per_mask(length) + 1, ~0ull);
      rng.swap_bits(bits.data(), length);
      ASSERT_EQ(unpack(bits, length), decisions(draws, at, length)) << "at draw " << at;
      // Only the mask's own words are written, and bits past the count are cleared.
      if (length % 64 != 0) {
        ASSERT_EQ(bits[length / 64] >> (length % 64), 0u);
      }
      ASSERT_EQ(bits[PythonRandom::words_per_mask(length)], ~0ull);
      at += length;
      ASSERT_LT(at + 1 + round * 150, draws.size());
      for (int k = 0; k < 1 + round * 150; ++k) ASSERT_EQ(rng.random(), draws[at++]);
    }
  }
}

TEST(PythonRandom, SwapMasksAreConsecutiveRows) {
  PythonRandom rows(7), flat(7);
  const std::size_t trials = 9, samples = 130;
  const std::size_t words = PythonRandom::words_per_mask(samples);
  std::vector<std::uint64_t> masks(trials * words);
  rows.swap_masks(masks.data(), trials, samples);
  std::vector<std::uint64_t> bits(PythonRandom::words_per_mask(trials * samples));
  flat.swap_bits(bits.data(), trials * samples);
  for (std::size_t t = 0; t < trials; ++t) {
    for (std::size_t i = 0; i < samples; ++i) {
      const std::size_t g = t * samples + i;
      ASSERT_EQ((masks[t * words + i / 64] >> (i % 64)) & 1u, (bits[g / 64] >> (g % 64)) & 1u);
    }
  }
}

TEST(PythonRandom, SkipDrawsEqualsDrawing) {
  RRG_REQUIRE_PYTHON();
  for (std::size_t skip :
       {std::size_t{1}, std::size_t{311}, std::size_t{312}, std::size_t{2'000'003}}) {
    const std::vector<double> expected = python_draws("2024", 1000, skip);
    PythonRandom rng(2024);
    rng.random();  // the cache and position must follow a skip from anywhere
    rng.skip_draws(skip - 1);
    for (double e : expected) ASSERT_EQ(rng.random(), e) << "after skipping " << skip;
  }
}

}  // namespace
