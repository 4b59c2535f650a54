// Tests of coco-bleu (pycocoevalcap 1.2 BleuScorer, option "closest").
//
// pycocoevalcap is not installed, so expectations are worked by hand: the n-gram counts below are
// derived in the comments, and the value follows bleu_scorer.py's formula for those counts:
//   Bleu_n = prod_{k<=n} ((correct_k + 1e-15) / (guess_k + 1e-9)) ^ (1/n)
//            * exp(1 - 1/ratio) if ratio = (testlen + 1e-15) / (reflen + 1e-9) < 1.
// The parity test (parity_cases_test.cpp) checks the same code against real pycocoevalcap output.
#include "rrg/metrics/lexical/coco_bleu_scorer.h"
#include "rrg/metrics/driver.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace {

using rrg::metrics::CocoBleuScorer;
using rrg::metrics::TextCorpus;

// bleu_scorer.py's value for hand-counted statistics.
std::array<double, 4> by_hand(std::array<int, 4> correct, std::array<int, 4> guess, int testlen,
                              int reflen) {
  std::array<double, 4> out{};
  double product = 1.0;
  for (int k = 0; k < 4; ++k) {
    product *= (correct[k] + 1e-15) / (guess[k] + 1e-9);
    out[k] = std::pow(product, 1.0 / (k + 1));
  }
  const double ratio = (testlen + 1e-15) / (reflen + 1e-9);
  if (ratio < 1.0) {
    for (double& value : out) value *= std::exp(1.0 - 1.0 / ratio);
  }
  return out;
}

void expect_sample(const rrg::metrics::MetricScores& scores, std::size_t i,
                   const std::array<double, 4>& expected) {
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_DOUBLE_EQ(scores.per_sample[k][i], expected[k]) << scores.names[k] << " sample " << i;
  }
}

TEST(CocoBleuScorer, CountsClippedNgramsPerSampleAndForTheCorpus) {
  TextCorpus corpus;
  // 0: identical 4-token texts: correct = guess = 4,3,2,1. Equal lengths still give ratio < 1
  //    (1e-15 vs 1e-9), so even a perfect match is slightly below 1, as in pycocoevalcap.
  corpus.hypotheses.push_back("the heart is normal");
  corpus.references.push_back({"the heart is normal"});
  // 1: "no pleural effusion no effusion" vs "no pleural effusion": unigrams no x2 -> 1,
  //    pleural 1, effusion x2 -> 1 => 3/5; bigrams "no pleural", "pleural effusion" => 2/4;
  //    trigram "no pleural effusion" => 1/3; 4-grams 0/2. testlen 5 > reflen 3: no penalty.
  corpus.hypotheses.push_back("no pleural effusion no effusion");
  corpus.references.push_back({"no pleural effusion"});
  // 2: two references at distance 1 (lengths 4 and 6): "closest" takes the shorter, 4, so
  //    there is no brevity penalty. Counts are clipped by the best reference: 5,4,3,2 of 5,4,3,2.
  corpus.hypotheses.push_back("a b c d e");
  corpus.references.push_back({"a b c d e f", "a b c d"});
  // 3: str.split() separates on tabs, newlines and NBSP; 2 tokens vs a 4-token reference:
  //    unigrams 2/2, bigram "lungs clear" absent from the reference => 0/1; penalty r/c = 2.
  corpus.hypotheses.push_back("lungs\u00A0clear");
  corpus.references.push_back({"lungs\tare\nclear ."});
  // 4: empty hypothesis: guess 0 everywhere, testlen 0 => exp(1 - 1/ratio) underflows to 0.
  corpus.hypotheses.push_back("");
  corpus.references.push_back({"no acute disease"});

  const auto scores = rrg::metrics::score_corpus(CocoBleuScorer(), corpus);
  ASSERT_EQ(scores.names, (std::vector<std::string>{"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"}));
  expect_sample(scores, 0, by_hand({4, 3, 2, 1}, {4, 3, 2, 1}, 4, 4));
  expect_sample(scores, 1, by_hand({3, 2, 1, 0}, {5, 4, 3, 2}, 5, 3));
  expect_sample(scores, 2, by_hand({5, 4, 3, 2}, {5, 4, 3, 2}, 5, 4));
  expect_sample(scores, 3, by_hand({2, 0, 0, 0}, {2, 1, 0, 0}, 2, 4));
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(scores.per_sample[k][4], 0.0);

  // Corpus: the counts and lengths summed over the samples (reflen uses each sample's closest).
  const auto corpus_expected = by_hand({4 + 3 + 5 + 2, 3 + 2 + 4, 2 + 1 + 3, 1 + 0 + 2},
                                       {4 + 5 + 5 + 2, 3 + 4 + 4 + 1, 2 + 3 + 3, 1 + 2 + 2},
                                       4 + 5 + 5 + 2 + 0, 4 + 3 + 4 + 4 + 3);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_DOUBLE_EQ(scores.corpus[k], corpus_expected[k]);
  EXPECT_LT(scores.per_sample[0][0], 1.0);
  EXPECT_GT(scores.per_sample[0][0], 0.9999999);
}

TEST(CocoBleuScorer, NoMatchGivesTinyPositiveValues) {
  // correct = 0 => (0 + 1e-15) / (guess + 1e-9): a tiny positive number, not 0.
  TextCorpus corpus{{"xyzzy plugh"}, {{"heart normal"}}};
  const auto scores = rrg::metrics::score_corpus(CocoBleuScorer(), corpus);
  EXPECT_DOUBLE_EQ(scores.per_sample[0][0], by_hand({0, 0, 0, 0}, {2, 1, 0, 0}, 2, 2)[0]);
  EXPECT_GT(scores.per_sample[0][0], 0.0);
  EXPECT_LT(scores.per_sample[0][0], 1e-15);
}

TEST(CocoBleuScorer, SignaturesAndEmptyCorpus) {
  const auto empty = rrg::metrics::score_corpus(CocoBleuScorer(), TextCorpus{});
  EXPECT_EQ(empty.corpus, std::vector<double>(4, 0.0));
  EXPECT_TRUE(empty.per_sample[3].empty());

  TextCorpus corpus{{"a", "b"}, {{"a"}, {"b", "c"}}};
  const auto scores = rrg::metrics::score_corpus(CocoBleuScorer(), corpus);
  const std::string signature = scores.signatures[0].format();
  EXPECT_EQ(signature.rfind("Bleu_1|conv:pycocoevalcap-1.2|tok:split|opt:closest|"
                            "smooth:tiny-1e-15,small-1e-9|nrefs:var|version:",
                            0),
            0u)
      << signature;
}

}  // namespace
