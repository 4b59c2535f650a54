// The WordPiece tokenizer against tests/text/wordpiece_reference.py, a Python implementation of
// HF BertTokenizer's algorithm (transformers 2.5.1) run by /usr/bin/python3 at test time:
// report texts and Unicode edge cases with a small vocabulary (and with the real bert-base-uncased
// vocab.txt when models/get_vocab.sh has fetched it, or $RRG_BERT_VOCAB points at it), and the
// pre-WordPiece words of every Unicode code point.
#include "rrg/text/wordpiece.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"
#include "rrg/text/utf8.h"
#include "support/json_lines.h"
#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

using text::WordPieceTokenizer;

std::string reference_script() {
  return source_dir() + "/tests/text/wordpiece_reference.py";
}

// Runs the reference in `mode` on `texts`; returns one JSON object per text.
std::vector<nlohmann::json> reference(const std::string& mode, const std::string& vocab,
                                      const std::vector<std::string>& texts) {
  std::vector<std::string> argv = {"/usr/bin/python3", reference_script(), "--mode", mode};
  if (!vocab.empty()) argv.push_back(vocab);
  return run_json_lines(argv, texts);
}

// A small vocabulary: special tokens at bert-base-uncased's ids, characters, ## characters,
// radiology words and pieces, a CJK ideograph, a Hangul jamo and a repeated token.
std::string small_vocab() {
  std::vector<std::string> tokens = {"[PAD]"};
  for (int i = 1; i < 100; ++i) tokens.push_back("[unused" + std::to_string(i - 1) + "]");
  for (const char* t : {"[UNK]", "[CLS]", "[SEP]", "[MASK]"}) tokens.push_back(t);
  for (char c = '!'; c <= '~'; ++c) {
    if (c < 'A' || c > 'Z') tokens.emplace_back(1, c);
  }
  for (char c = 'a'; c <= 'z'; ++c) tokens.push_back(std::string("##") + c);
  for (char c = '0'; c <= '9'; ++c) tokens.push_back(std::string("##") + c);
  for (const char* w :
       {"no",           "acute",          "cardio",   "##pulmonary", "process",     "pleural",
        "effusion",     "pneumo",         "##thorax", "heart",       "size",        "normal",
        "lungs",        "clear",          "the",      "is",          "are",         "xx",
        "##xx",         "cafe",           "resume",   "naive",       "cardio",      "left",
        "right",        "lower",          "lobe",     "opacity",     "atelectasis", "pneumonia",
        "##s",          "##ed",           "##ing",    "tube",        "chest",       "\xe8\x82\xba",
        "\xe1\x84\x91", "##\xe1\x85\xa8", "\xce\xbf", "istanbul",    "i",           "##\xcc\x87"}) {
    tokens.push_back(w);
  }
  std::string text;
  for (const auto& t : tokens) text += t + "\n";
  return text;
}

std::vector<std::string> all_texts() {
  std::vector<std::string> texts = radiology_reports();
  for (const auto& t : tokenizer_edge_texts()) texts.push_back(t);
  // Longer than 512 tokens once tokenized.
  std::string long_report;
  for (int i = 0; i < 120; ++i) long_report += "Left lower lobe opacity, likely atelectasis. ";
  texts.push_back(long_report);
  return texts;
}

void expect_same_tokens(const std::string& vocab_path) {
  const WordPieceTokenizer tokenizer = WordPieceTokenizer::from_file(vocab_path);
  const auto texts = all_texts();
  const auto want = reference("tokens", vocab_path, texts);
  ASSERT_EQ(want.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(tokenizer.tokenize(texts[i]), want[i]["tokens"].get<std::vector<std::string>>())
        << "text " << i << ": " << nlohmann::json(texts[i]).dump();
  }
}

TEST(WordPieceTest, TokensMatchReferenceWithSmallVocab) {
  TempDir tmp;
  write_file(tmp.file("vocab.txt"), small_vocab());
  expect_same_tokens(tmp.file("vocab.txt"));
}

TEST(WordPieceTest, TokensMatchReferenceWithBertBaseUncasedVocab) {
  const char* env = std::getenv("RRG_BERT_VOCAB");
  const std::string path = env && *env ? env : source_dir() + "/models/vocab.txt";
  if (!file_exists(path)) GTEST_SKIP() << "no bert-base-uncased vocab.txt (models/get_vocab.sh)";
  const WordPieceTokenizer tokenizer = WordPieceTokenizer::from_file(path);
  EXPECT_EQ(tokenizer.vocab_size(), 30522u);
  EXPECT_EQ(tokenizer.cls_id(), 101);
  EXPECT_EQ(tokenizer.sep_id(), 102);
  EXPECT_EQ(tokenizer.unk_id(), 100);
  // A hand-checked example (bert-base-uncased ids).
  EXPECT_EQ(tokenizer.token_ids("No acute findings"),
            (std::vector<std::int32_t>{2053, 11325, 9556}));
  expect_same_tokens(path);
}

// BertTokenizer's options (cased models, strip_accents, tokenize_chinese_chars), each
// combination against the reference run with the same flags.
TEST(WordPieceTest, OptionsMatchReference) {
  TempDir tmp;
  std::string vocab = small_vocab();
  for (char c = 'A'; c <= 'Z'; ++c) vocab += std::string(1, c) + "\n##" + std::string(1, c) + "\n";
  for (const char* t : {"Caf", "##\xc3\xa9", "\xc3\x89", "##\xcc\x81", "Heart", "Lungs", "No"}) {
    vocab += std::string(t) + "\n";
  }
  write_file(tmp.file("vocab.txt"), vocab);
  struct Case {
    text::WordPieceOptions options;
    std::vector<std::string> flags;
  };
  const std::vector<Case> cases = {
      {{true, -1, true}, {}},
      {{false, -1, true}, {"--cased"}},
      {{false, 1, true}, {"--cased", "--strip-accents", "yes"}},
      {{true, 0, true}, {"--strip-accents", "no"}},
      {{true, -1, false}, {"--no-chinese"}},
  };
  const auto texts = all_texts();
  for (const Case& c : cases) {
    std::vector<std::string> argv = {"/usr/bin/python3", reference_script(), "--mode", "tokens"};
    argv.insert(argv.end(), c.flags.begin(), c.flags.end());
    argv.push_back(tmp.file("vocab.txt"));
    const auto want = run_json_lines(argv, texts);
    ASSERT_EQ(want.size(), texts.size());
    const auto t = WordPieceTokenizer::from_file(tmp.file("vocab.txt"), c.options);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      EXPECT_EQ(t.tokenize(texts[i]), want[i]["tokens"].get<std::vector<std::string>>())
          << "flags " << nlohmann::json(c.flags).dump() << " text " << i << ": "
          << nlohmann::json(texts[i]).dump();
    }
  }
  const auto cased = WordPieceTokenizer::from_file(tmp.file("vocab.txt"), {false, -1, true});
  EXPECT_EQ(cased.tokenize("Caf\u00e9 No"), (std::vector<std::string>{"Caf", "##\u00e9", "No"}));
}

TEST(WordPieceTest, BasicTokenizationMatchesPythonOnEveryCodePoint) {
  // Every code point (surrogates excluded) between two letters and after an uppercase letter,
  // in chunks: exercises the control, whitespace, punctuation, mark, CJK and NFD tables.
  std::vector<std::string> chunks;
  std::string chunk;
  for (char32_t cp = 1; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    chunk += "A";
    text::append_utf8(cp, chunk);
    chunk += "b\u00c9";
    text::append_utf8(cp, chunk);
    chunk += " ";
    if (chunk.size() > 60000) {
      chunks.push_back(chunk);
      chunk.clear();
    }
  }
  chunks.push_back(chunk);
  const auto want = reference("basic", "", chunks);
  ASSERT_EQ(want.size(), chunks.size());
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto expected = want[i]["words"].get<std::vector<std::string>>();
    const auto got = text::bert_basic_tokenize(chunks[i]);
    if (got != expected) {
      std::size_t k = 0;
      while (k < got.size() && k < expected.size() && got[k] == expected[k]) ++k;
      ADD_FAILURE() << "chunk " << i << " differs at word " << k << ": got "
                    << (k < got.size() ? nlohmann::json(got[k]).dump() : "(end)") << ", want "
                    << (k < expected.size() ? nlohmann::json(expected[k]).dump() : "(end)");
    }
  }
}

TEST(WordPieceTest, LongWordsAndUnknownCharacters) {
  TempDir tmp;
  write_file(tmp.file("vocab.txt"), small_vocab());
  const WordPieceTokenizer t = WordPieceTokenizer::from_file(tmp.file("vocab.txt"));
  EXPECT_EQ(t.tokenize(std::string(101, 'a')), std::vector<std::string>{"[UNK]"});
  EXPECT_EQ(t.tokenize(std::string(100, 'a')).size(), 100u);  // "a" then 99 x "##a"
  EXPECT_EQ(t.tokenize("ab\u00e7d"), std::vector<std::string>({"a", "##b", "##c", "##d"}));
  EXPECT_EQ(t.tokenize("ab\u00fed"), std::vector<std::string>{"[UNK]"});  // no "##þ"
  EXPECT_EQ(t.token_ids("[CLS] no"), (std::vector<std::int32_t>{101, t.id_of("no")}));
}

TEST(WordPieceTest, VocabularyFileRules) {
  TempDir tmp;
  // \r\n and \r end lines too; a repeated token keeps its last line; a missing final newline is
  // fine.
  write_file(tmp.file("v.txt"), "[PAD]\r\n[UNK]\r[CLS]\n[SEP]\nx\nx\n##y");
  const WordPieceTokenizer t = WordPieceTokenizer::from_file(tmp.file("v.txt"));
  EXPECT_EQ(t.vocab_size(), 7u);
  EXPECT_EQ(t.id_of("[UNK]"), 1);
  EXPECT_EQ(t.id_of("x"), 5);
  EXPECT_EQ(t.id_of("##y"), 6);
  EXPECT_EQ(t.token_ids("xy"), (std::vector<std::int32_t>{5, 6}));

  const auto error_of = [&](const std::string& name, const std::string& content) -> std::string {
    write_file(tmp.file(name), content);
    try {
      WordPieceTokenizer::from_file(tmp.file(name));
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  const std::string no_cls = error_of("nocls.txt", "[PAD]\n[UNK]\n[SEP]\n");
  EXPECT_NE(no_cls.find("not a BERT vocabulary"), std::string::npos) << no_cls;
  const std::string latin1 = error_of("latin1.txt", "[PAD]\n[UNK]\ncaf\xe9\n");
  EXPECT_NE(latin1.find("latin1.txt:3: not UTF-8"), std::string::npos) << latin1;
  EXPECT_THROW(WordPieceTokenizer::from_file(tmp.file("absent.txt")), InputError);
}

}  // namespace
}  // namespace rrg::testing
