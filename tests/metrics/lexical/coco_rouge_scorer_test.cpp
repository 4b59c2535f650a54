// Tests of coco-rouge (pycocoevalcap 1.2 Rouge, beta 1.2), worked by hand: the LCS of each pair
// is counted in the comments, then P = LCS / |hyp|, R = LCS / |ref| (best of each over the
// references) and F = (1 + 1.44) P R / (R + 1.44 P).
#include "rrg/metrics/lexical/coco_rouge_scorer.h"
#include "rrg/metrics/driver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using rrg::metrics::CocoRougeScorer;
using rrg::metrics::TextCorpus;

double f_measure(double p, double r) {
  const double b2 = 1.2 * 1.2;
  return ((1 + b2) * p * r) / (r + b2 * p);
}

TEST(CocoRougeScorer, WorkedExamples) {
  TextCorpus corpus;
  // 0: LCS("the heart is normal", "the heart size is normal") = 4: P = 4/4, R = 4/5.
  corpus.hypotheses.push_back("the heart is normal");
  corpus.references.push_back({"the heart size is normal"});
  // 1: split(" ") keeps empty tokens: "a  b" = [a, "", b]; against "a b" = [a, b]: LCS 2,
  //    P = 2/3, R = 2/2.
  corpus.hypotheses.push_back("a  b");
  corpus.references.push_back({"a b"});
  // 2: "" is one empty token, and it matches an empty reference: P = R = 1.
  corpus.hypotheses.push_back("");
  corpus.references.push_back({""});
  // 3: best precision and best recall come from different references: "a b c" vs "a b"
  //    (LCS 2: P 2/3, R 1) and vs "a b c d e f" (LCS 3: P 1, R 1/2) => P = 1, R = 1.
  corpus.hypotheses.push_back("a b c");
  corpus.references.push_back({"a b", "a b c d e f"});
  // 4: only the ASCII space separates: "lungs\tclear" is one token, unlike "lungs clear".
  corpus.hypotheses.push_back("lungs\tclear");
  corpus.references.push_back({"lungs clear"});
  // 5: empty hypothesis against a non-empty reference: LCS 0 => 0.
  corpus.hypotheses.push_back("");
  corpus.references.push_back({"no effusion"});

  const auto scores = rrg::metrics::score_corpus(CocoRougeScorer(), corpus);
  ASSERT_EQ(scores.names, std::vector<std::string>{"ROUGE_L"});
  const auto& s = scores.per_sample[0];
  EXPECT_DOUBLE_EQ(s[0], f_measure(1.0, 0.8));
  EXPECT_DOUBLE_EQ(s[1], f_measure(2.0 / 3.0, 1.0));
  EXPECT_DOUBLE_EQ(s[2], 1.0);
  EXPECT_DOUBLE_EQ(s[3], 1.0);
  EXPECT_EQ(s[4], 0.0);
  EXPECT_EQ(s[5], 0.0);
  // np.mean of six values: pairwise summation reduces to a plain left-to-right sum below 8.
  EXPECT_DOUBLE_EQ(scores.corpus[0], (s[0] + s[1] + s[2] + s[3] + s[4] + s[5]) / 6.0);
}

TEST(CocoRougeScorer, LongTextsUseSeveralMachineWords) {
  // 150 tokens against the same 150 tokens with every third token replaced: LCS = 100.
  std::string hyp, ref;
  for (int i = 0; i < 150; ++i) {
    hyp += (i ? " w" : "w") + std::to_string(i);
    ref += (i ? " " : "") + (i % 3 == 2 ? std::string("x") : "w" + std::to_string(i));
  }
  const auto scores = rrg::metrics::score_corpus(CocoRougeScorer(), TextCorpus{{hyp}, {{ref}}});
  EXPECT_DOUBLE_EQ(scores.per_sample[0][0], f_measure(100.0 / 150.0, 100.0 / 150.0));
}

TEST(CocoRougeScorer, Signature) {
  const auto scores =
      rrg::metrics::score_corpus(CocoRougeScorer(), TextCorpus{{"a"}, {{"a", "b"}}});
  const std::string signature = scores.signatures[0].format();
  EXPECT_EQ(signature.rfind(
                "ROUGE_L|conv:pycocoevalcap-1.2|tok:split-space|beta:1.2|multiref:max-p-max-r|"
                "nrefs:2|version:",
                0),
            0u)
      << signature;
}

}  // namespace
