// Tests of rrg/text/porter_stemmer.h against NLTK 3.8's PorterStemmer() itself.
//
// Oracle: /usr/bin/python3 with Debian's python3-nltk, run at test time on
//  - every lemma of WordNet's index files and every word of its exception lists (about 160,000
//    real English words, phrases joined by "_", hyphens, digits, apostrophes) when wordnet-base is
//    installed,
//  - suffixed variants of a sample of them (plurals, -ed, -ing, -ly, -ness, -ation, ...), so each
//    rule of every step meets many words,
//  - hand-written words aimed at NLTK's special cases and at Python's Unicode semantics (upper
//    case, İ, ß, final sigma, accents, the Kelvin sign, '*' and 'y' runs),
// and, when ../shared is present, aux/porter_stems.jsonl (NLTK's stems of every token of the
// parity cases). A few stems worked out by hand document the NLTK_EXTENSIONS quirks directly.
#include "rrg/text/porter_stemmer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rrg::text::PorterStemmer;

constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kWordNetDir = "/usr/share/wordnet";

// Reads a JSON list of words on stdin, prints the JSON list of NLTK stems.
constexpr const char* kStemProgram = R"PY(
import json, sys
from nltk.stem.porter import PorterStemmer
stemmer = PorterStemmer()
print(json.dumps([stemmer.stem(w) for w in json.load(sys.stdin)]))
)PY";

std::vector<std::string> nltk_stems(const std::vector<std::string>& words) {
  const auto result =
      rrg::testing::run_command({kPython, "-c", kStemProgram}, nlohmann::json(words).dump());
  EXPECT_EQ(result.exit_code, 0) << "NLTK oracle failed: " << result.err;
  return nlohmann::json::parse(result.out).get<std::vector<std::string>>();
}

void expect_same_stems(const std::vector<std::string>& words) {
  const std::vector<std::string> expected = nltk_stems(words);
  ASSERT_EQ(expected.size(), words.size());
  const PorterStemmer stemmer;
  int failures = 0;
  for (std::size_t i = 0; i < words.size() && failures < 25; ++i) {
    const std::string got = stemmer.stem(words[i]);
    if (got != expected[i]) {
      ++failures;
      ADD_FAILURE() << "stem(\"" << words[i] << "\") = \"" << got << "\", NLTK says \""
                    << expected[i] << "\"";
    }
  }
}

// First fields of WordNet's index.* and *.exc files (the lemma and inflected-form vocabulary).
std::vector<std::string> wordnet_vocabulary() {
  std::set<std::string> words;
  for (const char* pos : {"noun", "verb", "adj", "adv"}) {
    for (const std::string& name : {std::string("index.") + pos, std::string(pos) + ".exc"}) {
      std::ifstream in(std::string(kWordNetDir) + "/" + name);
      for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == ' ') continue;
        std::istringstream fields(line);
        std::string word;
        fields >> word;
        words.insert(word);
        if (name.find(".exc") != std::string::npos) {
          while (fields >> word) words.insert(word);
        }
      }
    }
  }
  return {words.begin(), words.end()};
}

const std::vector<std::string> kHandWritten{
    // NLTK's irregular-forms pool, and words near it.
    "sky",
    "skies",
    "dying",
    "lying",
    "tying",
    "news",
    "innings",
    "inning",
    "outings",
    "outing",
    "cannings",
    "canning",
    "howe",
    "proceed",
    "exceed",
    "succeed",
    "Skies",
    "SKY",
    "proceeding",
    "exceeding",
    "succeeded",
    "dyings",
    // Short words: at most two characters are only lower-cased.
    "",
    "a",
    "y",
    "is",
    "as",
    "IS",
    "Ys",
    "ies",
    "eed",
    "ied",
    "ing",
    "sss",
    "sses",
    // Step 1a/1b/1c special cases.
    "ties",
    "pies",
    "dies",
    "lies",
    "cries",
    "flies",
    "tied",
    "died",
    "cried",
    "spied",
    "agreed",
    "feed",
    "bleed",
    "plastered",
    "bled",
    "motoring",
    "sing",
    "conflated",
    "troubled",
    "sized",
    "hopping",
    "tanned",
    "falling",
    "hissing",
    "fizzed",
    "failing",
    "filing",
    "happy",
    "enjoy",
    "by",
    "say",
    "syzygy",
    "toy",
    "yyyy",
    "yayay",
    "boyyyy",
    "try",
    "spy",
    // Steps 2-5.
    "relational",
    "conditional",
    "rational",
    "valenci",
    "hesitanci",
    "digitizer",
    "conformabli",
    "radicalli",
    "differentli",
    "vileli",
    "analogousli",
    "vietnamization",
    "predication",
    "operator",
    "feudalism",
    "decisiveness",
    "hopefulness",
    "callousness",
    "formaliti",
    "sensitiviti",
    "sensibiliti",
    "fulli",
    "hopefulli",
    "analogi",
    "logi",
    "triplicate",
    "formative",
    "formalize",
    "electriciti",
    "electrical",
    "hopeful",
    "goodness",
    "revival",
    "allowance",
    "inference",
    "airliner",
    "gyroscopic",
    "adjustable",
    "defensible",
    "irritant",
    "replacement",
    "adjustment",
    "dependent",
    "adoption",
    "homologou",
    "communism",
    "activate",
    "angulariti",
    "homologous",
    "effective",
    "bowdlerize",
    "probate",
    "rate",
    "cease",
    "controll",
    "roll",
    "generalizations",
    "oscillators",
    "traditionalism",
    // Radiology vocabulary.
    "effusions",
    "effusion",
    "pneumothoraces",
    "opacities",
    "atelectatic",
    "cardiomegaly",
    "mediastinal",
    "consolidations",
    "interstitial",
    "unremarkable",
    "visualized",
    "degenerative",
    "hyperinflated",
    "calcified",
    "sternotomy",
    "costophrenic",
    "bibasilar",
    "radiographs",
    "tubes",
    "catheters",
    "positioned",
    "increasingly",
    "stable",
    "stably",
    // The literal "*d" suffix of NLTK's step 1b table, and other punctuation.
    "a*ded",
    "ba*ding",
    "x*ded",
    "**ed",
    "re*d",
    "a*d",
    "on-going",
    "x-ray",
    "x-rays",
    "o'clock",
    "heart's",
    "1.5cm",
    "12mm",
    "3rd",
    "t12",
    "...",
    "--",
    "#1",
    // Unicode: Python lower-cases first and counts code points.
    "RUNNING",
    "Generalizations",
    "İnfiltrates",
    "İİ",
    "İ",
    "STRASSE",
    "Straße",
    "ΚΑΡΔΙΑΣ",
    "ΣΑΣ",
    "naïvely",
    "naïveties",
    "cafés",
    "résumés",
    "Ⅻ",
    "\u212Aelvins",
    "ｆｕｌｌｗｉｄｔｈ",
    "ﬁnding",
    "ﬂies",
    "e\u0301ed",
    "ñing",
    "日本語",
    "pl\u00e9ural",
    "ǅing",
    "ᾈs",
};

TEST(PorterStemmer, HandWorkedExamples) {
  const PorterStemmer stemmer;
  EXPECT_EQ(stemmer.stem("skies"), "sky");         // irregular-forms pool
  EXPECT_EQ(stemmer.stem("Skies"), "ski");         // the pool is consulted before lower()
  EXPECT_EQ(stemmer.stem("ties"), "tie");          // NLTK step 1a: 4-letter "-ies"
  EXPECT_EQ(stemmer.stem("cries"), "cri");         // ... otherwise ies -> i
  EXPECT_EQ(stemmer.stem("happy"), "happi");       // step 1c: y -> i after a consonant
  EXPECT_EQ(stemmer.stem("enjoy"), "enjoy");       // ... not after a vowel
  EXPECT_EQ(stemmer.stem("is"), "is");             // two letters: unchanged
  EXPECT_EQ(stemmer.stem("IS"), "is");             // ... but lower-cased
  EXPECT_EQ(stemmer.stem("effusions"), "effus");   // s; then step 4 "ion" after s
  EXPECT_EQ(stemmer.stem("relational"), "relat");  // ational -> ate, then ate removed
  EXPECT_EQ(stemmer.stem("hopping"), "hop");       // double consonant undoubled
  EXPECT_EQ(stemmer.stem("falling"), "fall");      // ... except l, s, z
  EXPECT_EQ(stemmer.stem("filing"), "file");       // m=1 and *o -> e
  EXPECT_EQ(stemmer.stem("a*ded"), "ad");          // the literal "*d" rule of step 1b
  EXPECT_EQ(stemmer.stem("RUNNING"), "run");
}

TEST(PorterStemmer, HandWrittenWordsMatchNltk) {
  std::vector<std::string> words = kHandWritten;
  // Long words: runs of 'y' (NLTK decides y's consonant status recursively) and long suffix
  // chains.
  words.push_back(std::string(300, 'y') + "ing");
  words.push_back("a" + std::string(301, 'y') + "ed");
  std::string chain = "relat";
  for (int k = 0; k < 40; ++k) chain += "ionalization";
  words.push_back(chain);
  expect_same_stems(words);
}

TEST(PorterStemmer, WordNetVocabularyMatchesNltk) {
  if (!std::filesystem::exists(std::string(kWordNetDir) + "/index.noun")) {
    GTEST_SKIP() << "wordnet-base is not installed (" << kWordNetDir << ")";
  }
  const std::vector<std::string> words = wordnet_vocabulary();
  ASSERT_GT(words.size(), 150000u);
  expect_same_stems(words);
}

TEST(PorterStemmer, SuffixedVariantsMatchNltk) {
  if (!std::filesystem::exists(std::string(kWordNetDir) + "/index.noun")) {
    GTEST_SKIP() << "wordnet-base is not installed (" << kWordNetDir << ")";
  }
  const std::vector<std::string> base = wordnet_vocabulary();
  const std::vector<std::string> suffixes{
      "s",     "es",  "ed",    "ing", "ly",  "ness",    "ation", "ions", "izer", "ful", "alli",
      "ement", "iti", "icate", "y",   "ies", "ational", "logi",  "bli",  "er",   "ll",  "e"};
  std::vector<std::string> words;
  for (std::size_t i = 0; i < base.size(); i += 7) {
    words.push_back(base[i] + suffixes[(i / 7) % suffixes.size()]);
  }
  expect_same_stems(words);
}

TEST(PorterStemmer, SharedParityTokensMatchNltk) {
  const std::string shared = rrg::testing::shared_dir();
  if (shared.empty()) GTEST_SKIP() << "no ../shared reference material";
  std::ifstream in(shared + "/parity/nlg/aux/porter_stems.jsonl");
  ASSERT_TRUE(in) << "missing aux/porter_stems.jsonl";
  const PorterStemmer stemmer;
  std::size_t checked = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line);
    const std::string word = record["word"].get<std::string>();
    EXPECT_EQ(stemmer.stem(word), record["stem"].get<std::string>()) << "word: " << word;
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
}

}  // namespace
