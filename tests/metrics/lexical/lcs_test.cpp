// Tests of the bit-parallel LCS length against the textbook dynamic programme (the formulation
// pycocoevalcap's my_lcs and rouge-score use) on random sequences of many lengths.
#include "rrg/metrics/lexical/lcs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace {

using rrg::metrics::LcsCalculator;
using rrg::metrics::TokenId;
using rrg::metrics::TokenSpan;

std::size_t dp_lcs(const std::vector<TokenId>& a, const std::vector<TokenId>& b) {
  std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.size()][b.size()];
}

TokenSpan span(const std::vector<TokenId>& v) {
  return {v.data(), v.size()};
}

TEST(Lcs, MatchesDynamicProgrammeOnRandomSequences) {
  std::mt19937 rng(7);
  LcsCalculator lcs;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::size_t n = rng() % 200, m = rng() % 200;
    const TokenId alphabet = 1 + rng() % (trial % 3 == 0 ? 3 : 40);
    std::vector<TokenId> a(n), b(m);
    for (auto& x : a) x = rng() % alphabet;
    for (auto& x : b) x = rng() % alphabet;
    ASSERT_EQ(lcs.length(span(a), span(b)), dp_lcs(a, b)) << "n=" << n << " m=" << m;
  }
}

TEST(Lcs, WordBoundariesAndEdgeCases) {
  LcsCalculator lcs;
  for (std::size_t n : {0u, 1u, 63u, 64u, 65u, 127u, 128u, 129u, 300u}) {
    std::vector<TokenId> a(n, 5), b(n + 3, 5);
    EXPECT_EQ(lcs.length(span(a), span(b)), n);
    EXPECT_EQ(lcs.length(span(b), span(a)), n);
    std::vector<TokenId> c(n, 6);
    EXPECT_EQ(lcs.length(span(a), span(c)), 0u);
  }
  // Carries across words: all-equal runs make V + U overflow each 64-bit word.
  std::vector<TokenId> x(200), y(200);
  for (std::size_t i = 0; i < 200; ++i) x[i] = i % 2, y[i] = (i / 3) % 2;
  EXPECT_EQ(lcs.length(span(x), span(y)), dp_lcs(x, y));
}

}  // namespace
