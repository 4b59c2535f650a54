// Tests of the shared BLEU statistics: clipped n-gram matches and the closest reference length,
// worked by hand.
#include "rrg/metrics/lexical/bleu_counts.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

using rrg::metrics::BleuCounter;
using rrg::metrics::TokenId;
using rrg::metrics::TokenSpan;

TokenSpan span(const std::vector<TokenId>& v) {
  return {v.data(), v.size()};
}

TEST(BleuCounts, ClipsByTheBestSingleReference) {
  // hyp  = 1 1 1 2      refs: "1 2 1" (1 twice) and "1 1 1 1" (1 four times, no 2)
  // unigrams: 1 x3 clipped by max(2, 4) = 3; 2 x1 clipped by max(1, 0) = 1 => 4
  // bigrams: "1 1" x2 -> max(0, 3) = 3 -> 2; "1 2" x1 -> max(1, 0) -> 1 => 3
  // trigrams: "1 1 1" -> in ref 2 (x2) -> 1; "1 1 2" -> 0 => 1; 4-gram "1 1 1 2" => 0
  const std::vector<TokenId> hyp{1, 1, 1, 2}, r1{1, 2, 1}, r2{1, 1, 1, 1};
  BleuCounter counter;
  const auto counts = counter.count(span(hyp), {span(r1), span(r2)});
  EXPECT_EQ(counts.hyp_length, 4u);
  EXPECT_EQ(counts.matches[0], 4u);
  EXPECT_EQ(counts.matches[1], 3u);
  EXPECT_EQ(counts.matches[2], 1u);
  EXPECT_EQ(counts.matches[3], 0u);
  EXPECT_EQ(counts.hyp_ngrams(0), 4u);
  EXPECT_EQ(counts.hyp_ngrams(3), 1u);
  // |3 - 4| = |4 - 4|? no: distances 1 and 0 => closest is 4.
  EXPECT_EQ(counts.closest_ref_length, 4u);
}

TEST(BleuCounts, ClosestReferenceTiesGoToTheShorter) {
  const std::vector<TokenId> hyp{1, 2, 3, 4, 5}, longer{1, 2, 3, 4, 5, 6}, shorter{1, 2, 3, 4};
  BleuCounter counter;
  EXPECT_EQ(counter.count(span(hyp), {span(longer), span(shorter)}).closest_ref_length, 4u);
  EXPECT_EQ(counter.count(span(hyp), {span(shorter), span(longer)}).closest_ref_length, 4u);
}

TEST(BleuCounts, EmptyAndShortTexts) {
  const std::vector<TokenId> empty, one{7}, two{7, 7};
  BleuCounter counter;
  const auto a = counter.count(span(empty), {span(two)});
  EXPECT_EQ(a.hyp_length, 0u);
  EXPECT_EQ(a.matches[0], 0u);
  EXPECT_EQ(a.closest_ref_length, 2u);
  const auto b = counter.count(span(two), {span(one)});
  EXPECT_EQ(b.matches[0], 1u);  // "7" x2 clipped by 1
  EXPECT_EQ(b.matches[1], 0u);  // the reference has no bigram
  const auto c = counter.count(span(one), {span(empty)});
  EXPECT_EQ(c.matches[0], 0u);
  EXPECT_EQ(c.closest_ref_length, 0u);
}

TEST(BleuCounts, ManyDistinctNgramsWithHashCollisionsStayExact) {
  // 400 tokens drawn from 3 symbols: many repeated n-grams, checked against a naive count.
  std::vector<TokenId> hyp, ref;
  for (TokenId i = 0; i < 400; ++i)
    hyp.push_back((i * 7 + i / 5) % 3), ref.push_back((i * 5 + i / 3) % 3);
  BleuCounter counter;
  const auto counts = counter.count(span(hyp), {span(ref)});
  for (std::size_t n = 1; n <= 4; ++n) {
    std::size_t expected = 0;
    std::vector<bool> used(hyp.size(), false);
    // naive clipped count: for each distinct hyp n-gram, min(count in hyp, count in ref)
    for (std::size_t i = 0; i + n <= hyp.size(); ++i) {
      if (used[i]) continue;
      std::size_t in_hyp = 0, in_ref = 0;
      for (std::size_t j = i; j + n <= hyp.size(); ++j) {
        if (std::equal(hyp.begin() + i, hyp.begin() + i + n, hyp.begin() + j)) {
          ++in_hyp;
          used[j] = true;
        }
      }
      for (std::size_t j = 0; j + n <= ref.size(); ++j) {
        if (std::equal(hyp.begin() + i, hyp.begin() + i + n, ref.begin() + j)) ++in_ref;
      }
      expected += std::min(in_hyp, in_ref);
    }
    EXPECT_EQ(counts.matches[n - 1], expected) << "n=" << n;
  }
}

}  // namespace
