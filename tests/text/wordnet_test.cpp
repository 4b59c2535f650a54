// Tests of rrg/text/wordnet.h: NLTK 3.8's synsets(), _morphy() and lemma names on the same files.
//
// Oracle: /usr/bin/python3 with NLTK's WordNetCorpusReader opened on Debian's wordnet-base files
// (tests/support/nltk_oracle.py), run at test time on a vocabulary built here: a sample of every
// index file's lemmas, every word of the exception lists (the exception branch of _morphy), the
// lemmas with inflections appended (the substitution rules, several levels deep), and
// hand-written words (radiology terms and their Porter stems, upper case, adjective markers,
// Unicode, pathological suffix chains). With ../shared present, aux/wordnet_synonyms.jsonl (the
// synonym sets NLTK's METEOR built for every token of the parity cases) is checked too.
// The lookup structure itself is checked exhaustively: every key of every index file is found.
#include "rrg/text/wordnet.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::text::SynsetRef;
using rrg::text::WordNet;
using rrg::text::WordNetPos;

constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kWordNetDir = "/usr/share/wordnet";
constexpr const char* kPosLetters = "nvar";
constexpr const char* kPosFiles[] = {"noun", "verb", "adj", "adv"};

bool wordnet_installed() {
  return std::filesystem::exists(std::string(kWordNetDir) + "/index.noun");
}

#define REQUIRE_WORDNET()                                                    \
  if (!wordnet_installed()) {                                                \
    GTEST_SKIP() << "wordnet-base is not installed (" << kWordNetDir << ")"; \
  }

// For a JSON list of words on stdin: NLTK's _morphy per POS and synsets() with lemma names.
constexpr const char* kOracleProgram = R"PY(
import json, sys
sys.path.insert(0, sys.argv[1])
import nltk_oracle
wn = nltk_oracle.wordnet()
out = []
for word in json.load(sys.stdin):
    out.append({
        "morphy": [wn._morphy(word, p) for p in "nvar"],
        "synsets": [["a" if s.pos() == "s" else s.pos(), s.offset(), [l.name() for l in s.lemmas()]]
                    for s in wn.synsets(word)],
    })
print(json.dumps(out))
)PY";

nlohmann::json run_oracle(const std::vector<std::string>& words) {
  const auto result = rrg::testing::run_command(
      {kPython, "-c", kOracleProgram, rrg::testing::source_dir() + "/tests/support"},
      nlohmann::json(words).dump());
  EXPECT_EQ(result.exit_code, 0) << "NLTK oracle failed: " << result.err;
  return nlohmann::json::parse(result.out);
}

// Keys of index.<pos>, every `step`-th one.
std::vector<std::string> index_keys(const std::string& pos, std::size_t step) {
  std::vector<std::string> keys;
  std::ifstream in(std::string(kWordNetDir) + "/index." + pos);
  std::size_t k = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == ' ') continue;
    if (k++ % step == 0) keys.push_back(line.substr(0, line.find(' ')));
  }
  return keys;
}

std::vector<std::string> exception_words() {
  std::set<std::string> words;
  for (const char* pos : kPosFiles) {
    std::ifstream in(std::string(kWordNetDir) + "/" + pos + ".exc");
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      for (std::string word; fields >> word;) words.insert(word);
    }
  }
  return {words.begin(), words.end()};
}

const std::vector<std::string> kHandWritten{
    // Radiology words and the Porter stems METEOR looks up.
    "effusion",
    "effusions",
    "effus",
    "pleural",
    "pneumothorax",
    "pneumothoraces",
    "lung",
    "lungs",
    "clear",
    "normal",
    "size",
    "heart",
    "cardiomegaly",
    "enlarged",
    "enlarg",
    "opacity",
    "opac",
    "opacities",
    "consolidation",
    "consolid",
    "atelectasis",
    "edema",
    "mediastinum",
    "mediastin",
    "contours",
    "contour",
    "limits",
    "limit",
    "stable",
    "stabl",
    "unchanged",
    "unchang",
    "tube",
    "tubes",
    "catheter",
    "line",
    "lines",
    "picc",
    "seen",
    "see",
    "noted",
    "note",
    "there",
    "is",
    "are",
    "no",
    "not",
    "the",
    "a",
    "of",
    "and",
    "or",
    "with",
    "within",
    "without",
    "acute",
    "acut",
    "chest",
    "xray",
    "x-ray",
    "findings",
    "find",
    "impression",
    "impress",
    "left",
    "right",
    "base",
    "bases",
    "basilar",
    "lobe",
    "lobes",
    // Adjectives with syntactic markers in data.adj, satellites, and multiword lemmas.
    "alive",
    "galore",
    "out",
    "former",
    "running",
    "ablaze",
    "aglow",
    "elect",
    "sleeping",
    "pleural_effusion",
    "heart_failure",
    "chest_x-ray",
    // Exception-list duplicates (a later line replaces an earlier one) and irregular forms.
    "aurar",
    "offer",
    "diastemata",
    "involucra",
    "sudatoria",
    "better",
    "best",
    "geese",
    "axes",
    "feet",
    "were",
    "ran",
    "children",
    "oxen",
    "mice",
    "data",
    "criteria",
    "indices",
    // Upper case (synsets() lower-cases, _morphy does not), Unicode, odd shapes.
    "Lungs",
    "HEART",
    "Clear",
    "İnfiltrate",
    "naïve",
    "straße",
    "καρδια",
    "\u212Aelvin",
    "1.5",
    "2nd",
    "t12",
    "--",
    "...",
    "'s",
    "o'clock",
    "",
    // Long suffix chains exercise the level-by-level rule application.
    "eseseseseses",
    "sssssssssss",
    "ingingingeded",
    "menmenmen",
    "shesshes",
    "carrieses",
    "gladdest",
    "happiest",
    "bigger",
    "biggest",
    "boxes",
    "churches",
    "wolves",
    "buses",
    "abaci",
    "aardwolves",
    "dogs",
    "book",
    "hardrock",
    "pities",
    "pitied",
    "stopped",
};

// Compares our morphy/synsets/lemma names with the oracle's for every word.
void expect_matches_oracle(const std::vector<std::string>& words) {
  const nlohmann::json oracle = run_oracle(words);
  ASSERT_EQ(oracle.size(), words.size());
  const WordNet wordnet(kWordNetDir);
  int failures = 0;
  for (std::size_t i = 0; i < words.size() && failures < 20; ++i) {
    const std::string& word = words[i];
    for (int p = 0; p < 4; ++p) {
      const auto expected = oracle[i]["morphy"][p].get<std::vector<std::string>>();
      const auto got = wordnet.morphy(word, static_cast<WordNetPos>(p));
      if (got != expected) {
        ++failures;
        ADD_FAILURE() << "_morphy(\"" << word << "\", '" << kPosLetters[p]
                      << "') = " << nlohmann::json(got) << ", NLTK: " << nlohmann::json(expected);
      }
    }
    const auto& expected_synsets = oracle[i]["synsets"];
    const std::vector<SynsetRef> got = wordnet.synsets(word);
    bool same = got.size() == expected_synsets.size();
    for (std::size_t k = 0; same && k < got.size(); ++k) {
      same = kPosLetters[static_cast<int>(got[k].pos)] ==
                 expected_synsets[k][0].get<std::string>()[0] &&
             got[k].offset == expected_synsets[k][1].get<std::uint32_t>() &&
             wordnet.lemma_names(got[k]) == expected_synsets[k][2].get<std::vector<std::string>>();
    }
    if (!same) {
      ++failures;
      nlohmann::json mine = nlohmann::json::array();
      for (const auto& s : got) {
        mine.push_back({std::string(1, kPosLetters[static_cast<int>(s.pos)]), s.offset,
                        wordnet.lemma_names(s)});
      }
      ADD_FAILURE() << "synsets(\"" << word << "\") = " << mine << ", NLTK: " << expected_synsets;
    }
  }
}

TEST(WordNet, MissingDirectoryIsAnInputErrorSayingWhatToDo) {
  try {
    WordNet wordnet("/nonexistent/wordnet-dir");
    FAIL() << "no error for a missing directory";
  } catch (const rrg::InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("/nonexistent/wordnet-dir"), std::string::npos) << message;
    EXPECT_NE(message.find("wordnet-base"), std::string::npos) << message;
    EXPECT_NE(message.find("--wordnet-dir"), std::string::npos) << message;
    EXPECT_NE(message.find("RRG_WORDNET_DIR"), std::string::npos) << message;
  }
}

TEST(WordNet, MissingFileIsNamed) {
  rrg::testing::TempDir dir;
  for (const char* pos : kPosFiles) {
    rrg::testing::write_file(dir.file(std::string("index.") + pos), "");
    rrg::testing::write_file(dir.file(std::string("data.") + pos), "");
    if (std::string(pos) != "verb")
      rrg::testing::write_file(dir.file(std::string(pos) + ".exc"), "");
  }
  try {
    WordNet wordnet(dir.path());
    FAIL() << "no error for a missing verb.exc";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("verb.exc"), std::string::npos) << e.what();
  }
}

TEST(WordNet, DirectoryResolution) {
  const char* saved = std::getenv("RRG_WORDNET_DIR");
  const std::string saved_value = saved == nullptr ? "" : saved;
  ::unsetenv("RRG_WORDNET_DIR");
  EXPECT_EQ(WordNet::resolve_directory(""), "/usr/share/wordnet");
  ::setenv("RRG_WORDNET_DIR", "/somewhere/wn", 1);
  EXPECT_EQ(WordNet::resolve_directory(""), "/somewhere/wn");
  EXPECT_EQ(WordNet::resolve_directory("/given"), "/given");  // the option wins
  if (saved == nullptr) {
    ::unsetenv("RRG_WORDNET_DIR");
  } else {
    ::setenv("RRG_WORDNET_DIR", saved_value.c_str(), 1);
  }
}

TEST(WordNet, SmallHandMadeDatabase) {
  // A two-word database written here, to pin down the file formats without Princeton's data:
  // licence header lines start with a space, index lines list offsets, data lines start with
  // their own offset, markers like "(p)" are cut from lemma names, *.exc maps forms to lemmas.
  rrg::testing::TempDir dir;
  const std::string noun_data_1 = "00000000 05 n 02 Lung 0 lung_tissue 0 000 | an organ\n";
  const std::string noun_data_2 = "00000053 05 n 01 effusion 0 000 | a flow\n";
  rrg::testing::write_file(dir.file("data.noun"), noun_data_1 + noun_data_2);
  rrg::testing::write_file(dir.file("index.noun"),
                           "  1 licence text\n"
                           "effusion n 1 0 1 0 00000053  \n"
                           "lung n 1 0 1 0 00000000  \n");
  rrg::testing::write_file(dir.file("data.adj"), "00000000 00 a 01 alive(p) 0 000 | living\n");
  rrg::testing::write_file(dir.file("index.adj"), "alive a 1 0 1 0 00000000  \n");
  rrg::testing::write_file(dir.file("noun.exc"), "lungen lung\nlungen lunge\n");
  for (const char* name :
       {"data.verb", "index.verb", "data.adv", "index.adv", "verb.exc", "adj.exc", "adv.exc"}) {
    rrg::testing::write_file(dir.file(name), "");
  }
  ASSERT_EQ(noun_data_1.size(), 53u);
  const WordNet wordnet(dir.path());
  EXPECT_EQ(wordnet.morphy("lungs", WordNetPos::kNoun), std::vector<std::string>{"lung"});
  EXPECT_EQ(wordnet.morphy("lung", WordNetPos::kVerb), std::vector<std::string>{});
  // The exception list decides alone; its later line for "lungen" replaces the earlier one.
  EXPECT_EQ(wordnet.morphy("lungen", WordNetPos::kNoun), std::vector<std::string>{});
  const auto lung = wordnet.synsets("LUNGS");
  ASSERT_EQ(lung.size(), 1u);
  EXPECT_EQ(lung[0].offset, 0u);
  EXPECT_EQ(wordnet.lemma_names(lung[0]), (std::vector<std::string>{"Lung", "lung_tissue"}));
  const auto effusion = wordnet.synsets("effusion");
  ASSERT_EQ(effusion.size(), 1u);
  EXPECT_EQ(wordnet.lemma_names(effusion[0]), std::vector<std::string>{"effusion"});
  const auto alive = wordnet.synsets("alive");
  ASSERT_EQ(alive.size(), 1u);
  EXPECT_EQ(alive[0].pos, WordNetPos::kAdj);
  EXPECT_EQ(wordnet.lemma_names(alive[0]), std::vector<std::string>{"alive"});
  EXPECT_THROW(wordnet.lemma_names({WordNetPos::kNoun, 7}), std::runtime_error);
}

TEST(WordNet, EveryIndexKeyIsFound) {
  REQUIRE_WORDNET();
  const WordNet wordnet(kWordNetDir);
  for (int p = 0; p < 4; ++p) {
    std::size_t checked = 0;
    for (const auto& key : index_keys(kPosFiles[p], 1)) {
      const auto forms = wordnet.morphy(key, static_cast<WordNetPos>(p));
      // A form the index lists comes back first, unless an exception line overrides it.
      if (forms.empty() || std::find(forms.begin(), forms.end(), key) == forms.end()) {
        // Only possible through the exception list: check it holds the key.
        std::ifstream in(std::string(kWordNetDir) + "/" + kPosFiles[p] + ".exc");
        bool in_exceptions = false;
        for (std::string line; std::getline(in, line);) {
          if (line.compare(0, key.size() + 1, key + " ") == 0) in_exceptions = true;
        }
        EXPECT_TRUE(in_exceptions) << "index key not found: " << key << " (" << kPosFiles[p] << ")";
      }
      ++checked;
    }
    EXPECT_GT(checked, 4000u);
  }
}

// One oracle run (NLTK needs seconds to load WordNet) over three vocabularies.
TEST(WordNet, VocabularyMatchesNltk) {
  REQUIRE_WORDNET();
  // Hand-written words.
  std::vector<std::string> words = kHandWritten;
  // Every word of the exception lists (the exception branch of _morphy).
  const std::vector<std::string> exceptions = exception_words();
  words.insert(words.end(), exceptions.begin(), exceptions.end());
  // A sample of each index and the same lemmas inflected (the substitution rules).
  const std::vector<std::string> endings{"s",   "es",   "ies", "ed",  "ing", "er",  "est",
                                         "men", "ches", "ves", "xes", "ses", "ied", "ing"};
  std::size_t k = 0;
  for (const char* pos : kPosFiles) {
    for (const auto& key : index_keys(pos, 23)) {
      words.push_back(key);
      words.push_back(key + endings[k++ % endings.size()]);
    }
  }
  ASSERT_GT(words.size(), 15000u);
  expect_matches_oracle(words);
}

TEST(WordNet, SharedParitySynonymSetsMatch) {
  REQUIRE_WORDNET();
  const std::string shared = rrg::testing::shared_dir();
  if (shared.empty()) GTEST_SKIP() << "no ../shared reference material";
  std::ifstream in(shared + "/parity/nlg/aux/wordnet_synonyms.jsonl");
  ASSERT_TRUE(in) << "missing aux/wordnet_synonyms.jsonl";
  const WordNet wordnet(kWordNetDir);
  std::size_t checked = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line);
    const std::string word = record["word"].get<std::string>();
    std::set<std::string> got{word};
    for (const auto& synset : wordnet.synsets(word)) {
      for (const auto& name : wordnet.lemma_names(synset)) {
        if (name.find('_') == std::string::npos) got.insert(name);
      }
    }
    const auto list = record["synonyms"].get<std::vector<std::string>>();
    EXPECT_EQ(got, std::set<std::string>(list.begin(), list.end())) << "word: " << word;
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
}

}  // namespace
