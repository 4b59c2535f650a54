// Tests of the "rouge-score" scorer (rrg/metrics/lexical/rouge_score.h).
//
// rouge-score itself is not packaged for Debian, so the test-time oracle is rouge-score 0.1.2's
// algorithm restated in Python below — tokenize.py's lower(), re.sub / re.split and token filter,
// NLTK's real PorterStemmer, rouge_scorer.py's LCS table and scoring.py's fmeasure — run by
// /usr/bin/python3, with NumPy's np.mean for the corpus value. Numbers travel as float.hex()
// strings and are compared bit for bit. Hand-worked cases pin the convention down without
// Python, and tests/metrics/seed_parity_test.cpp checks against numbers from rouge-score itself.
#include "rrg/metrics/lexical/rouge_score.h"
#include "rrg/metrics/driver.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "metrics/lexical/scorer_reuse.h"
#include "support/test_support.h"

namespace {

using rrg::metrics::rouge_lcs_fmeasure;
using rrg::metrics::rouge_score_tokenize;
using rrg::metrics::RougeScoreScorer;
using rrg::metrics::TextCorpus;

constexpr const char* kOracle = R"PY(
import json, re, sys
import numpy as np
from nltk.stem import porter

stemmer = porter.PorterStemmer()

def tokenize(text):
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    tokens = re.split(r"\s+", text)
    tokens = [stemmer.stem(x) if len(x) > 3 else x for x in tokens]
    return [x for x in tokens if re.match(r"^[a-z0-9]+$", x)]

def lcs(ref, can):
    table = [[0] * (len(can) + 1) for _ in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(can) + 1):
            if ref[i - 1] == can[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]

def rouge_l(target, prediction):
    t, p = tokenize(target), tokenize(prediction)
    if not t or not p:
        return 0.0
    n = lcs(t, p)
    precision, recall = n / len(p), n / len(t)
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0

pairs = json.load(sys.stdin)
scores = [rouge_l(ref, hyp) for ref, hyp in pairs]
print(json.dumps({"tokens": [tokenize(ref) for ref, _ in pairs],
                  "scores": [float(s).hex() for s in scores],
                  "mean": float(np.mean(scores)).hex()}))
)PY";

// (reference, hypothesis) pairs written for this test.
const std::vector<std::pair<std::string, std::string>> kPairs{
    {"The heart size is normal. The lungs are clear.", "Heart size is normal. Lungs are clear."},
    {"No pleural effusion or pneumothorax.", "No pneumothorax or pleural effusion."},
    {"Moderate cardiomegaly with small bilateral pleural effusions.",
     "Cardiomegaly is moderate; small effusions bilaterally."},
    {"Right PICC line terminates in the lower SVC.", "Right-sided PICC tip in the low SVC."},
    {"Endotracheal tube 4.5 cm above the carina.", "ET tube tip 4.5cm above carina"},
    {"Possible early pneumonia in the left lower lobe.", "No focal consolidation."},
    {"", "The lungs are clear."},
    {"The lungs are clear.", ""},
    {"   ", "..."},
    {"!!!", "???"},
    {"Stable appearance of the chest.", "Stable appearance of the chest."},
    {"no no no no effusion", "effusion effusion no"},
    {"Mild interstitial edema, improved compared with the prior radiograph.",
     "Interstitial edema has improved since the previous radiographs; it is mild."},
    {"Degenerative changes of the thoracic spine.", "Thoracic spine degenerative change."},
    {"Atelectasis at the left base; no effusion.", "Left basilar atelectasis without effusion."},
    // Unicode: Python's lower() runs on the whole text before the [a-z0-9] filter.
    {"\u0130nfiltrates in the RIGHT LUNG", "infiltrates in the right lung"},
    {"\u212Aidney stones? No.", "kidney stones"},
    {"Stra\u00dfe na\u00efve caf\u00e9 \u0391\u03a3", "strasse naive cafe"},
    {"\uFF2C\uFF35\uFF2E\uFF27\uFF33 clear", "lungs clear"},
    {"heart\u00a0size\u3000normal", "heart size normal"},
    {"12mm nodule at T12", "12 mm nodule, t12"},
    {"x-ray_x-rays x-rayed", "xray xrays"},
    {"generalizations relational conditional hopefulness",
     "generalization relate condition hopeful"},
};

std::vector<double> parse_hex(const nlohmann::json& values) {
  std::vector<double> out;
  for (const auto& v : values) out.push_back(std::strtod(v.get<std::string>().c_str(), nullptr));
  return out;
}

nlohmann::json run_oracle() {
  nlohmann::json input = nlohmann::json::array();
  for (const auto& [ref, hyp] : kPairs) input.push_back({ref, hyp});
  const auto result = rrg::testing::run_command({"/usr/bin/python3", "-c", kOracle}, input.dump());
  EXPECT_EQ(result.exit_code, 0) << "oracle failed: " << result.err;
  return nlohmann::json::parse(result.out);
}

// The scorer's per-sample value for one (reference, hypothesis) pair.
double score_pair(const rrg::metrics::Scorer& scorer, const std::string& reference,
                  const std::string& hypothesis) {
  return rrg::metrics::score_corpus(scorer, TextCorpus{{hypothesis}, {{reference}}})
      .per_sample[0][0];
}

TEST(RougeScore, TokenizerHandWorked) {
  EXPECT_EQ(rouge_score_tokenize("The heart size is NORMAL."),
            (std::vector<std::string>{"the", "heart", "size", "is", "normal"}));
  // Only tokens longer than three characters are stemmed ("tubes" -> "tube", "ets" kept).
  EXPECT_EQ(rouge_score_tokenize("Effusions, tubes & ETs"),
            (std::vector<std::string>{"effus", "tube", "ets"}));
  EXPECT_EQ(rouge_score_tokenize("x-ray 4.5cm"),
            (std::vector<std::string>{"x", "ray", "4", "5cm"}));
  EXPECT_EQ(rouge_score_tokenize(""), std::vector<std::string>{});
  EXPECT_EQ(rouge_score_tokenize(" .,;!? "), std::vector<std::string>{});
  // The Kelvin sign lower-cases to an ASCII 'k'; other non-ASCII letters separate tokens.
  EXPECT_EQ(rouge_score_tokenize("\u212Aidney caf\u00e9"),
            (std::vector<std::string>{"kidney", "caf"}));
}

TEST(RougeScore, FmeasureHandWorked) {
  // reference "no pleural effusion" -> [no, pleural, effus]; hypothesis "no effusion" ->
  // [no, effus]: LCS 2, P = 1, R = 2/3, F = 2 * 1 * (2/3) / (1 + 2/3) = 0.8.
  const RougeScoreScorer scorer;
  EXPECT_DOUBLE_EQ(score_pair(scorer, "no pleural effusion", "no effusion"), 0.8);
  EXPECT_EQ(rouge_lcs_fmeasure(2, 3, 2), 2 * 1.0 * (2.0 / 3.0) / (1.0 + 2.0 / 3.0));
  EXPECT_EQ(rouge_lcs_fmeasure(0, 3, 2), 0.0);  // P + R = 0
  EXPECT_EQ(rouge_lcs_fmeasure(0, 0, 2), 0.0);  // empty reference
  EXPECT_EQ(rouge_lcs_fmeasure(0, 2, 0), 0.0);  // empty hypothesis
  EXPECT_EQ(score_pair(scorer, "heart", "heart"), 1.0);
  EXPECT_EQ(score_pair(scorer, "", ""), 0.0);
}

TEST(RougeScore, MatchesRougeScoreAlgorithmInPython) {
  const nlohmann::json oracle = run_oracle();
  const std::vector<double> expected = parse_hex(oracle["scores"]);
  ASSERT_EQ(expected.size(), kPairs.size());
  TextCorpus corpus;
  for (std::size_t i = 0; i < kPairs.size(); ++i) {
    EXPECT_EQ(rouge_score_tokenize(kPairs[i].first),
              oracle["tokens"][i].get<std::vector<std::string>>())
        << "reference: " << kPairs[i].first;
    corpus.references.push_back({kPairs[i].first});
    corpus.hypotheses.push_back(kPairs[i].second);
  }
  const RougeScoreScorer scorer;
  const auto scores = rrg::metrics::score_corpus(scorer, corpus);
  ASSERT_EQ(scores.names, std::vector<std::string>{"ROUGE-L"});
  ASSERT_EQ(scores.per_sample[0].size(), kPairs.size());
  for (std::size_t i = 0; i < kPairs.size(); ++i) {
    EXPECT_EQ(scores.per_sample[0][i], expected[i])
        << "pair " << i << ": \"" << kPairs[i].first << "\" / \"" << kPairs[i].second << "\"";
  }
  EXPECT_EQ(scores.corpus[0], std::strtod(oracle["mean"].get<std::string>().c_str(), nullptr));
}

TEST(RougeScore, OnlyTheFirstReferenceCounts) {
  TextCorpus corpus;
  corpus.hypotheses = {"lungs are clear"};
  corpus.references = {{"no effusion", "lungs are clear"}};
  const auto scores = rrg::metrics::score_corpus(RougeScoreScorer(), corpus);
  EXPECT_EQ(scores.per_sample[0][0], 0.0);
}

// A scorer keeps its workers' tokenizers (the stems of the words seen) for later calls: a call
// after others, on other texts and from several threads at once, scores exactly what a new
// scorer scores.
TEST(RougeScore, LaterCallsScoreAsANewScorer) {
  TextCorpus first, second;
  for (const auto& [ref, hyp] : kPairs) {
    first.hypotheses.push_back(hyp);
    first.references.push_back({ref});
    second.hypotheses.insert(second.hypotheses.begin(), ref + " " + hyp);
    second.references.insert(second.references.begin(), {hyp});
  }
  rrg::testing::expect_later_calls_score_as_a_new_scorer<RougeScoreScorer>(first, second);
}

TEST(RougeScore, EmptyCorpusAndSignature) {
  const auto scores = rrg::metrics::score_corpus(RougeScoreScorer(), TextCorpus{});
  EXPECT_EQ(scores.corpus, std::vector<double>{0.0});
  EXPECT_TRUE(scores.per_sample[0].empty());
  const std::string signature = scores.signatures[0].format();
  EXPECT_EQ(signature.rfind("ROUGE-L|conv:rouge-score-0.1.2|tok:rouge-score|stem:porter-nltk|"
                            "nrefs:1|version:",
                            0),
            0u)
      << signature;
}

}  // namespace
