// Tests of token interning and the three tokenizers (Python split(), split(" "),
// lower().split()).
#include "rrg/metrics/lexical/token_ids.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "rrg/text/python_str.h"

namespace {

using rrg::metrics::CorpusTokenizer;
using rrg::metrics::TextCorpus;
using rrg::metrics::TokenChunk;
using rrg::metrics::Tokenizer;
using rrg::metrics::TokenVocabulary;

std::vector<std::string> strings(const CorpusTokenizer& tokenizer, rrg::metrics::TokenSpan s) {
  std::vector<std::string> out;
  for (auto id : s) out.emplace_back(tokenizer.vocabulary().token(id));
  return out;
}

TEST(TokenIds, InterningIsStableAcrossGrowth) {
  TokenVocabulary vocabulary;
  std::vector<rrg::metrics::TokenId> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(vocabulary.intern("token" + std::to_string(i)));
  for (int i = 0; i < 5000; ++i) {
    EXPECT_EQ(vocabulary.intern("token" + std::to_string(i)), ids[i]);
    EXPECT_EQ(vocabulary.token(ids[i]), "token" + std::to_string(i));
  }
  EXPECT_EQ(vocabulary.size(), 5000u);
  EXPECT_EQ(vocabulary.intern(""), 5000u);
  EXPECT_EQ(vocabulary.intern(""), 5000u);
}

TEST(TokenIds, TokenizersFollowPython) {
  const TextCorpus corpus{{" The  HEART\u00A0is\tnormal ", ""}, {{"a b", "x"}, {"  "}}};
  TokenChunk chunk;

  CorpusTokenizer split(Tokenizer::kPythonSplit);
  split.tokenize(corpus, 0, 2, chunk);
  ASSERT_EQ(chunk.size(), 2u);
  EXPECT_EQ(strings(split, chunk.hypothesis(0)),
            (std::vector<std::string>{"The", "HEART", "is", "normal"}));
  EXPECT_EQ(chunk.reference_count(0), 2u);
  EXPECT_EQ(strings(split, chunk.reference(0, 1)), std::vector<std::string>{"x"});
  EXPECT_EQ(chunk.hypothesis(1).size, 0u);
  EXPECT_EQ(chunk.reference(1, 0).size, 0u);

  CorpusTokenizer space(Tokenizer::kSplitOnSpace);
  space.tokenize(corpus, 0, 2, chunk);
  // " The  HEART\u00A0is\tnormal ".split(" ") == ['', 'The', '', 'HEART\xa0is\tnormal', '']
  EXPECT_EQ(strings(space, chunk.hypothesis(0)),
            (std::vector<std::string>{"", "The", "", "HEART\u00A0is\tnormal", ""}));
  EXPECT_EQ(strings(space, chunk.hypothesis(1)), std::vector<std::string>{""});
  EXPECT_EQ(strings(space, chunk.reference(1, 0)), (std::vector<std::string>{"", "", ""}));

  CorpusTokenizer lower(Tokenizer::kLowerPythonSplit);
  lower.tokenize(corpus, 0, 1, chunk);
  ASSERT_EQ(chunk.size(), 1u);
  EXPECT_EQ(strings(lower, chunk.hypothesis(0)),
            (std::vector<std::string>{"the", "heart", "is", "normal"}));
}

TEST(TokenIds, AsciiFastPathEqualsUnicodeSplitOnRandomTexts) {
  // The 8-bytes-at-a-time ASCII scanner against python_split/python_lower (themselves checked
  // against Python), on random texts mixing every ASCII whitespace byte, upper case, long tokens
  // and lengths around the 8-byte word size; some texts end with a non-ASCII character, which
  // must send the whole text down the Unicode path.
  const std::string alphabet = "aZbYc.,-#*x\t\n\v\f\r\x1c\x1d\x1e\x1f     QWERTYqwerty0123456789";
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    const std::size_t length = rng() % 40;
    for (std::size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
    if (trial % 10 == 0) text += "\u00C9";
    for (const bool lower : {false, true}) {
      CorpusTokenizer tokenizer(lower ? Tokenizer::kLowerPythonSplit : Tokenizer::kPythonSplit);
      TokenChunk chunk;
      tokenizer.tokenize(TextCorpus{{text}, {{""}}}, 0, 1, chunk);
      std::vector<std::string> expected;
      const std::string source = lower ? rrg::text::python_lower(text) : text;
      for (const auto token : rrg::text::python_split(source)) expected.emplace_back(token);
      ASSERT_EQ(strings(tokenizer, chunk.hypothesis(0)), expected) << "'" << text << "'";
    }
  }
}

TEST(TokenIds, ReferenceCountLabel) {
  EXPECT_EQ(rrg::metrics::reference_count_label(TextCorpus{{"a", "b"}, {{"a"}, {"b"}}}), "1");
  EXPECT_EQ(rrg::metrics::reference_count_label(TextCorpus{{"a", "b"}, {{"a", "c"}, {"b"}}}),
            "var");
  EXPECT_EQ(rrg::metrics::reference_count_label(TextCorpus{}), "0");
}

}  // namespace
