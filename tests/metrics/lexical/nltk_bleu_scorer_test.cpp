// Tests of nltk-bleu against NLTK 3.8 itself (/usr/bin/python3 at test time): corpus_bleu for the
// corpus values and sentence_bleu per sample, weights (1/n,)*n, SmoothingFunction().method1, tokens
// text.lower().split(). Values are compared bit for bit (float.hex).
#include "rrg/metrics/lexical/nltk_bleu_scorer.h"
#include "rrg/metrics/driver.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rrg::metrics::MetricScores;
using rrg::metrics::NltkBleuScorer;
using rrg::metrics::TextCorpus;

std::string hex(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", x);
  return buffer;
}

// NLTK's numbers for `corpus`: first line the 4 corpus values, then 4 values per sample.
std::vector<std::vector<double>> nltk_oracle(const TextCorpus& corpus) {
  nlohmann::json input = nlohmann::json::array();
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    input.push_back({{"hyp", corpus.hypotheses[i]}, {"refs", corpus.references[i]}});
  }
  const auto result = rrg::testing::run_command({"/usr/bin/python3", "-c", R"PY(
import json, sys, warnings
from nltk.translate.bleu_score import corpus_bleu, sentence_bleu, SmoothingFunction
warnings.simplefilter("ignore")
data = json.load(sys.stdin)
smooth = SmoothingFunction().method1
hyps = [d["hyp"].lower().split() for d in data]
refs = [[r.lower().split() for r in d["refs"]] for d in data]
weights = [tuple([1 / n] * n) for n in range(1, 5)]
print(" ".join(float(corpus_bleu(refs, hyps, weights=w, smoothing_function=smooth)).hex() for w in weights))
for h, r in zip(hyps, refs):
    print(" ".join(float(sentence_bleu(r, h, weights=w, smoothing_function=smooth)).hex() for w in weights))
)PY"},
                                                input.dump());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::vector<double>> rows;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::vector<double> row;
    for (std::string field; fields >> field;) row.push_back(std::strtod(field.c_str(), nullptr));
    rows.push_back(row);
  }
  return rows;
}

void expect_matches_nltk(const TextCorpus& corpus) {
  const MetricScores scores = rrg::metrics::score_corpus(NltkBleuScorer(), corpus);
  const auto expected = nltk_oracle(corpus);
  ASSERT_EQ(expected.size(), corpus.size() + 1);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(hex(scores.corpus[k]), hex(expected[0][k])) << scores.names[k] << " corpus";
    for (std::size_t i = 0; i < corpus.size(); ++i) {
      EXPECT_EQ(hex(scores.per_sample[k][i]), hex(expected[i + 1][k]))
          << scores.names[k] << " sample " << i << ": " << corpus.hypotheses[i];
    }
  }
}

TEST(NltkBleuScorer, MatchesNltkOnReportPairs) {
  TextCorpus corpus;
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"The heart size is normal. The lungs are clear.",
       "Heart size is normal. Lungs are clear without focal consolidation."},
      {"No pleural effusion or pneumothorax.", "No pneumothorax or pleural effusion is seen."},
      {"Mild cardiomegaly with small bilateral pleural effusions.",
       "Moderate cardiomegaly. Small left pleural effusion. No pneumothorax."},
      {"ET tube tip 4 cm above the carina.", "Endotracheal tube terminates 4 cm above the carina."},
      {"", "Clear lungs."},             // empty hypothesis: 0
      {"xyz", "no acute disease"},      // no unigram match: 0
      {"clear lungs", "Clear lungs."},  // short: brevity penalty, smoothing
      {"possible left lower lobe pneumonia", "possible left lower lobe pneumonia"},
      {"the the the the", "the cat is on the mat"},  // clipping
  };
  for (const auto& [hyp, ref] : pairs) {
    corpus.hypotheses.push_back(hyp);
    corpus.references.push_back({ref});
  }
  expect_matches_nltk(corpus);
}

TEST(NltkBleuScorer, MatchesNltkOnUnicodeText) {
  // Full Unicode lower-casing (İ -> i̇, final sigma, Kelvin sign) and Unicode whitespace (NBSP,
  // U+3000, U+2028, U+001C) decide the tokens; a zero-width space does not split.
  TextCorpus corpus;
  corpus.hypotheses = {"\u0130NFILTRATE in the LEFT\u00A0lung", "\u039F\u0394\u039F\u03A3 heart",
                       "\u212Aidney\u3000normal\u2028size", "no\u200Beffusion seen\x1Ctoday"};
  corpus.references = {{"i\u0307nfiltrate in the left lung"},
                       {"\u03BF\u03B4\u03BF\u03C2 heart normal"},
                       {"kidney normal size"},
                       {"no effusion seen today"}};
  expect_matches_nltk(corpus);
}

TEST(NltkBleuScorer, MatchesNltkWithSeveralReferences) {
  // Closest reference length with ties going to the shorter one; clipping by the largest count
  // in any single reference.
  TextCorpus corpus;
  corpus.hypotheses = {"a b c d e", "lungs are clear lungs are clear"};
  corpus.references = {{"a b c d", "a b c d e f"}, {"lungs are clear", "clear lungs are lungs"}};
  expect_matches_nltk(corpus);
}

TEST(NltkBleuScorer, EmptyCorpusAndSignatures) {
  const MetricScores scores = rrg::metrics::score_corpus(NltkBleuScorer(), TextCorpus{});
  EXPECT_EQ(scores.names, (std::vector<std::string>{"BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4"}));
  EXPECT_EQ(scores.corpus, std::vector<double>(4, 0.0));
  ASSERT_EQ(scores.per_sample.size(), 4u);
  EXPECT_TRUE(scores.per_sample[0].empty());
  TextCorpus corpus{{"a"}, {{"a"}}};
  const auto signature =
      rrg::metrics::score_corpus(NltkBleuScorer(), corpus).signatures[3].format();
  EXPECT_EQ(
      signature.rfind(
          "BLEU-4|conv:nltk-3.8|tok:lower-split|weights:uniform|smooth:method1-eps0.1|nrefs:1|", 0),
      0u)
      << signature;
}

}  // namespace
