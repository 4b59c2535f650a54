// Tests of the "nltk-meteor" scorer (rrg/metrics/lexical/nltk_meteor.h) against NLTK 3.8 itself.
//
// Oracle: /usr/bin/python3 running nltk.translate.meteor_score.meteor_score([ref.lower().split()],
// hyp.lower().split()) with NLTK's WordNet reader on Debian's wordnet-base files
// (tests/support/nltk_oracle.py) and np.mean for the corpus value; numbers travel as float.hex()
// strings and are compared bit for bit. Inputs: hand-written report pairs aimed at each stage
// (exact, stem, WordNet synonym), at the alignment order (repeated words, reordering, chunks) and
// at the zero cases, plus a few hundred pairs generated here from radiology phrases with
// shuffles, repetitions and synonym swaps.
#include "rrg/metrics/lexical/nltk_meteor.h"
#include "rrg/metrics/driver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "metrics/lexical/scorer_reuse.h"
#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::metrics::NltkMeteorScorer;
using rrg::metrics::TextCorpus;

bool wordnet_installed() {
  return std::filesystem::exists("/usr/share/wordnet/index.noun");
}

constexpr const char* kOracle = R"PY(
import json, sys
sys.path.insert(0, sys.argv[1])
import numpy as np
import nltk_oracle
from nltk.translate.meteor_score import meteor_score
wn = nltk_oracle.wordnet()
pairs = json.load(sys.stdin)
scores = [meteor_score([ref.lower().split()], hyp.lower().split(), wordnet=wn) for ref, hyp in pairs]
print(json.dumps({"scores": [float(s).hex() for s in scores], "mean": float(np.mean(scores)).hex()}))
)PY";

// (reference, hypothesis) pairs written for this test.
const std::vector<std::pair<std::string, std::string>> kPairs{
    {"the heart is normal in size", "heart size is normal"},
    {"the lungs are clear", "the lungs are clear"},
    {"the lungs are clear", "lungs clear the are"},  // every word matched, four chunks
    {"no pleural effusion or pneumothorax", "no pneumothorax or pleural effusion"},
    {"small bilateral pleural effusions", "small bilateral pleural effusion"},  // stem
    {"the airway is open", "the airway is clear"},                              // synonym
    {"enlarged cardiac silhouette", "the heart is enlarged"},
    {"no no no effusion", "effusion no no"},  // repeated words: last free reference first
    {"no effusion no pneumothorax no consolidation", "no consolidation no effusion"},
    {"", "the lungs are clear"},
    {"the lungs are clear", ""},
    {"   ", "  "},
    {"completely different words", "nothing matches here"},
    {"Right PICC line terminates in the SVC.", "right picc line tip in the svc ."},
    {"ET tube 4.5 cm above the carina", "et tube 4.5 cm above carina"},
    {"mild interstitial edema improved since prior", "interstitial edema is mild and improving"},
    {"the heart center is core", "heart"},  // one hypothesis word, several synonym candidates
    {"HEART SIZE NORMAL", "Heart Size Normal"},
    {"\u0130nfiltrates in the right lung", "i\u0307nfiltrates in the right lung"},
    {"na\u00efve stra\u00dfe \u039a\u0391\u03a1\u0394\u0399\u0391\u03a3",
     "na\u00efve strasse καρδιας"},
    {"heart\u00a0size\u3000normal", "heart size normal"},
    {"lungs are hyperinflated", "hyperinflation of the lungs"},
    {"there is a left basilar opacity", "opacities at the left base"},
    {"degenerative changes of the spine", "degenerative change in the spine"},
    {"sternotomy wires are intact", "intact sternotomy wires"},
};

// Report-like pairs from phrase pools: the hypothesis reuses, reorders, repeats and swaps words
// of the reference, so every stage and the chunk count see varied alignments.
std::vector<std::pair<std::string, std::string>> generated_pairs() {
  const std::vector<std::string> phrases{
      "the heart is normal in size",
      "heart size is enlarged",
      "the lungs are clear",
      "no pleural effusion",
      "small left pleural effusion",
      "no pneumothorax",
      "mild pulmonary edema",
      "right lower lobe opacity",
      "opacities in the lung bases",
      "the mediastinal contours are normal",
      "stable cardiomegaly",
      "endotracheal tube in good position",
      "left picc line tip in the svc",
      "degenerative changes of the spine",
      "no acute cardiopulmonary process",
      "the airway is open",
      "clear lungs without consolidation",
      "large hiatal hernia",
      "big heart",
      "atelectasis at the bases",
      "interval improvement of edema",
      "lines and tubes are unchanged",
      "the pulmonary vasculature is normal",
      "possible early pneumonia",
  };
  std::mt19937 rng(1234);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int k = 0; k < 300; ++k) {
    std::string ref, hyp;
    const int n_ref = 1 + static_cast<int>(rng() % 4);
    for (int s = 0; s < n_ref; ++s) ref += phrases[rng() % phrases.size()] + " . ";
    // Hypothesis: words of the reference, some dropped, some repeated, locally shuffled, plus
    // words of another phrase.
    std::vector<std::string> words;
    std::string word;
    for (char c : ref + " ") {
      if (c == ' ') {
        if (!word.empty() && rng() % 5 != 0) words.push_back(word);
        if (!word.empty() && rng() % 11 == 0) words.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      if (rng() % 6 == 0) std::swap(words[i], words[i + 1]);
    }
    const std::string extra = phrases[rng() % phrases.size()];
    words.insert(words.begin() + static_cast<long>(rng() % (words.size() + 1)), extra);
    for (const auto& w : words) hyp += w + " ";
    pairs.emplace_back(ref, hyp);
  }
  return pairs;
}

struct Oracle {
  std::vector<double> scores;
  double mean = 0.0;
};

Oracle run_oracle(const std::vector<std::pair<std::string, std::string>>& pairs) {
  nlohmann::json input = nlohmann::json::array();
  for (const auto& [ref, hyp] : pairs) input.push_back({ref, hyp});
  const auto result = rrg::testing::run_command(
      {"/usr/bin/python3", "-c", kOracle, rrg::testing::source_dir() + "/tests/support"},
      input.dump());
  EXPECT_EQ(result.exit_code, 0) << "NLTK oracle failed: " << result.err;
  const auto out = nlohmann::json::parse(result.out);
  Oracle oracle;
  for (const auto& v : out["scores"]) {
    oracle.scores.push_back(std::strtod(v.get<std::string>().c_str(), nullptr));
  }
  oracle.mean = std::strtod(out["mean"].get<std::string>().c_str(), nullptr);
  return oracle;
}

void expect_matches_nltk(const std::vector<std::pair<std::string, std::string>>& pairs) {
  const Oracle oracle = run_oracle(pairs);
  ASSERT_EQ(oracle.scores.size(), pairs.size());
  TextCorpus corpus;
  for (const auto& [ref, hyp] : pairs) {
    corpus.references.push_back({ref});
    corpus.hypotheses.push_back(hyp);
  }
  const NltkMeteorScorer scorer;
  const auto scores = rrg::metrics::score_corpus(scorer, corpus);
  ASSERT_EQ(scores.names, std::vector<std::string>{"METEOR"});
  ASSERT_EQ(scores.per_sample[0].size(), pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(scores.per_sample[0][i], oracle.scores[i])
        << "pair " << i << ": reference \"" << pairs[i].first << "\", hypothesis \""
        << pairs[i].second << "\"";
  }
  EXPECT_EQ(scores.corpus[0], oracle.mean);
}

// The scorer's per-sample value for one (reference, hypothesis) pair.
double score_pair(const rrg::metrics::Scorer& scorer, const std::string& reference,
                  const std::string& hypothesis) {
  return rrg::metrics::score_corpus(scorer, TextCorpus{{hypothesis}, {{reference}}})
      .per_sample[0][0];
}

TEST(NltkMeteor, HandWorked) {
  if (!wordnet_installed()) GTEST_SKIP() << "wordnet-base is not installed";
  const NltkMeteorScorer scorer;
  // Identical 4-word texts: P = R = 1, Fmean = 1, one chunk: 1 - 0.5 * (1/4)^3.
  EXPECT_EQ(score_pair(scorer, "the lungs are clear", "the lungs are clear"),
            1.0 - 0.5 * (0.25 * 0.25 * 0.25));
  // Nothing in common, an empty side: 0.
  EXPECT_EQ(score_pair(scorer, "completely different words", "nothing matches here"), 0.0);
  EXPECT_EQ(score_pair(scorer, "", "lungs"), 0.0);
  EXPECT_EQ(score_pair(scorer, "lungs", ""), 0.0);
  // "effusions" / "effusion" match only through their common stem "effus": same as exact.
  EXPECT_EQ(score_pair(scorer, "no effusions", "no effusion"),
            score_pair(scorer, "no effusion", "no effusion"));
  // "clear" has WordNet sense {open, clear}: the synonym stage matches reference "open".
  EXPECT_EQ(score_pair(scorer, "airway open", "airway clear"),
            score_pair(scorer, "airway open", "airway open"));
}

TEST(NltkMeteor, HandWrittenPairsMatchNltk) {
  if (!wordnet_installed()) GTEST_SKIP() << "wordnet-base is not installed";
  expect_matches_nltk(kPairs);
}

TEST(NltkMeteor, GeneratedPairsMatchNltk) {
  if (!wordnet_installed()) GTEST_SKIP() << "wordnet-base is not installed";
  expect_matches_nltk(generated_pairs());
}

TEST(NltkMeteor, OnlyTheFirstReferenceCounts) {
  if (!wordnet_installed()) GTEST_SKIP() << "wordnet-base is not installed";
  TextCorpus corpus;
  corpus.hypotheses = {"lungs are clear"};
  corpus.references = {{"no effusion", "lungs are clear"}};
  EXPECT_EQ(rrg::metrics::score_corpus(NltkMeteorScorer(), corpus).per_sample[0][0], 0.0);
}

TEST(NltkMeteor, EmptyCorpusAndSignature) {
  if (!wordnet_installed()) GTEST_SKIP() << "wordnet-base is not installed";
  const auto scores = rrg::metrics::score_corpus(NltkMeteorScorer(), TextCorpus{});
  EXPECT_EQ(scores.corpus, std::vector<double>{0.0});
  EXPECT_TRUE(scores.per_sample[0].empty());
  EXPECT_EQ(scores.signatures[0].format().rfind(
                "METEOR|conv:nltk-3.8|tok:lower-split|stem:porter-nltk|syn:wordnet-3.0|"
                "alpha:0.9|beta:3|gamma:0.5|nrefs:1|version:",
                0),
            0u)
      << scores.signatures[0].format();
}

// A scorer keeps its workers' sessions (stems and synonym sets of the words seen) for later
// calls: a call after others, on other texts and from several threads at once, scores exactly
// what a new scorer scores.
TEST(NltkMeteor, LaterCallsScoreAsANewScorer) {
  if (!wordnet_installed()) GTEST_SKIP() << "wordnet-base is not installed";
  const auto pairs = generated_pairs();
  const auto corpus_of = [](auto first, auto last, bool swapped) {
    TextCorpus corpus;
    for (auto it = first; it != last; ++it) {
      corpus.hypotheses.push_back(swapped ? it->first : it->second);
      corpus.references.push_back({swapped ? it->second : it->first});
    }
    return corpus;
  };
  const TextCorpus first = corpus_of(pairs.begin(), pairs.begin() + 150, false);
  const TextCorpus second = corpus_of(pairs.rbegin(), pairs.rend(), true);
  rrg::testing::expect_later_calls_score_as_a_new_scorer<NltkMeteorScorer>(first, second);
}

TEST(NltkMeteor, MissingWordNetIsAnInputError) {
  EXPECT_THROW(NltkMeteorScorer scorer("/nonexistent/wordnet"), rrg::InputError);
}

}  // namespace
