// Tests of coco-cider (pycocoevalcap 1.2 CIDEr-D), worked by hand. With N samples the idf weight
// of an n-gram is log(N) - log(max(1, df)), df = number of samples whose references contain it.
#include "rrg/metrics/lexical/coco_cider_scorer.h"
#include "rrg/metrics/driver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

using rrg::metrics::CocoCiderScorer;
using rrg::metrics::TextCorpus;

constexpr double kTolerance = 1e-12;

TEST(CocoCiderScorer, IdenticalAndDisjointTexts) {
  // N = 2, so every n-gram seen in one sample's references weighs l = log 2 (df 1), an unseen
  // one also weighs l (df 0 -> log(max(1, 0)) = 0).
  // 0: "a b" vs "a b": unigram and bigram cosines are 1, no trigrams/4-grams (norm 0 -> 0),
  //    equal lengths => 10 * mean(1, 1, 0, 0) = 5.
  // 1: "c" vs "d": no common n-gram => 0. Corpus = mean(5, 0) = 2.5.
  const auto scores =
      rrg::metrics::score_corpus(CocoCiderScorer(), TextCorpus{{"a b", "c"}, {{"a b"}, {"d"}}});
  ASSERT_EQ(scores.names, std::vector<std::string>{"CIDEr"});
  EXPECT_NEAR(scores.per_sample[0][0], 5.0, kTolerance);
  EXPECT_EQ(scores.per_sample[0][1], 0.0);
  EXPECT_NEAR(scores.corpus[0], 2.5, kTolerance);
}

TEST(CocoCiderScorer, ClippingAndLengthPenalty) {
  // 0: hyp "a b c" vs ref "a b" (N = 2, all weights l):
  //    unigrams: hyp (l, l, l), ref (l, l): cosine 2l^2 / (sqrt(3) l * sqrt(2) l) = 2 / sqrt(6)
  //    bigrams: hyp ("a b", "b c"), ref ("a b"): l^2 / (sqrt(2) l * l) = 1 / sqrt(2)
  //    trigrams: the reference has none (norm 0) => 0; 4-grams => 0.
  //    delta = 2 - 1 bigrams => penalty exp(-1 / 72).
  const auto scores =
      rrg::metrics::score_corpus(CocoCiderScorer(), TextCorpus{{"a b c", "z"}, {{"a b"}, {"y"}}});
  const double expected =
      10.0 * (2.0 / std::sqrt(6.0) + 1.0 / std::sqrt(2.0)) * std::exp(-1.0 / 72.0) / 4.0;
  EXPECT_NEAR(scores.per_sample[0][0], expected, kTolerance);
}

TEST(CocoCiderScorer, DocumentFrequencyCountsSamplesNotReferences) {
  // Sample 0 has two references "a": df(a) = 1 (one sample), weight log 2 - log 1 = log 2.
  // Each reference gives cosine 1, summed over the 2 references and divided by 2:
  // 10 * mean(2, 0, 0, 0) / 2 = 2.5. (Counting references would give df 2, weight 0, score 0.)
  const auto scores =
      rrg::metrics::score_corpus(CocoCiderScorer(), TextCorpus{{"a", "a"}, {{"a", "a"}, {"b"}}});
  EXPECT_NEAR(scores.per_sample[0][0], 2.5, kTolerance);
  EXPECT_EQ(scores.per_sample[0][1], 0.0);
}

TEST(CocoCiderScorer, SingleSampleCorpusScoresZero) {
  // N = 1: log(N) = 0 and every weight is 0 - log(1) = 0, so every vector is zero.
  const auto scores =
      rrg::metrics::score_corpus(CocoCiderScorer(), TextCorpus{{"the heart"}, {{"the heart"}}});
  EXPECT_EQ(scores.per_sample[0][0], 0.0);
  EXPECT_EQ(scores.corpus[0], 0.0);
}

TEST(CocoCiderScorer, SameValuesWhetherPassOneNgramsAreKeptOrRecomputed) {
  // 2,500 samples span three chunks of 1,024; with a zero budget pass 2 tokenizes every chunk
  // again, with the default budget it reuses pass 1's n-grams. Both must agree bit for bit.
  TextCorpus corpus;
  const std::vector<std::string> words{"no",   "effusion", "the",     "heart",       "is", "normal",
                                       "mild", "left",     "basilar", "atelectasis", "."};
  for (std::size_t i = 0; i < 2500; ++i) {
    std::string hyp, ref;
    for (std::size_t w = 0; w < 6 + i % 7; ++w) {
      hyp += (w ? " " : "") + words[(i * 7 + w * 3) % words.size()];
      ref += (w ? " " : "") + words[(i * 5 + w * 2 + w / 3) % words.size()];
    }
    corpus.hypotheses.push_back(hyp);
    corpus.references.push_back({ref});
  }
  const auto kept = rrg::metrics::score_corpus(CocoCiderScorer(), corpus);
  const auto recomputed = rrg::metrics::score_corpus(CocoCiderScorer(0), corpus);
  EXPECT_EQ(kept.corpus, recomputed.corpus);
  EXPECT_EQ(kept.per_sample, recomputed.per_sample);
  // A chunk holds about 1,024 x 2 texts x ~40 ids; 100,000 ids keeps only the first chunk.
  const auto partly = rrg::metrics::score_corpus(CocoCiderScorer(100000), corpus);
  EXPECT_EQ(kept.per_sample, partly.per_sample);
  EXPECT_GT(kept.corpus[0], 0.0);
}

TEST(CocoCiderScorer, Signature) {
  const auto scores = rrg::metrics::score_corpus(CocoCiderScorer(), TextCorpus{{"a"}, {{"a"}}});
  const std::string signature = scores.signatures[0].format();
  EXPECT_EQ(signature.rfind("CIDEr|conv:pycocoevalcap-1.2|tok:split|variant:cider-d|n:4|sigma:6|"
                            "df:corpus-refs|nrefs:1|version:",
                            0),
            0u)
      << signature;
}

}  // namespace
