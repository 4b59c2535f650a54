// Tests of the rules labeler's tokenizer and sentence splitter (report_tokenizer.h): lower-casing,
// joiners, decimals, numbered impressions, bullets, blank lines, "XXXX" and Unicode spaces.
#include "rrg/labelers/rules/report_tokenizer.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace {

using rrg::labelers::tokenize_phrase;
using rrg::labelers::tokenize_report;
using rrg::labelers::TokenizedReport;
using rrg::labelers::TokenKind;

// "a b | c d": tokens joined by spaces, sentences separated by " | ".
std::string render(const std::string& text) {
  TokenizedReport report;
  tokenize_report(text, report);
  std::string out;
  for (std::size_t i = 0; i < report.tokens.size(); ++i) {
    if (i > 0) out += report.tokens[i].sentence != report.tokens[i - 1].sentence ? " | " : " ";
    out += std::string(report.tokens[i].text);
  }
  return out;
}

struct Case {
  const char* name;
  const char* text;
  const char* expected;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class TokenizerCase : public ::testing::TestWithParam<Case> {};

TEST_P(TokenizerCase, SplitsAsExpected) {
  EXPECT_EQ(render(GetParam().text), GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Reports, TokenizerCase,
    ::testing::Values(
        Case{"LowerCasesAndSplitsSentences", "Mild Cardiomegaly. No EFFUSION!",
             "mild cardiomegaly | no effusion"},
        Case{"HyphenAndApostropheJoinNothing", "Chest x-ray: today's film",
             "chest x ray : todays film"},
        Case{"DecimalIsNoBoundary", "Nodule measuring 2.2 x 1.6 cm. Stable.",
             "nodule measuring 2.2 x 1.6 cm | stable"},
        Case{"NumberedImpressions", "1. No pneumothorax. 2. Small effusion.",
             "1 no pneumothorax | 2 small effusion"},
        Case{"NumberedItemWithoutFullStop", "1. Cardiomegaly 2. Small effusion",
             "1 cardiomegaly | 2 small effusion"},
        Case{"NumberedItemWithoutSpace", "1.No acute disease.2.Rib fracture.",
             "1 no acute disease | 2 rib fracture"},
        Case{"ParenthesisListMarker", "1) Edema 2) Effusion", "1 edema | 2 effusion"},
        Case{"WordWithDigitsIsNoListMarker", "Fracture of T5. Stable.", "fracture of t5 | stable"},
        Case{"SemicolonEndsSentence", "Opacities; likely atelectasis",
             "opacities | likely atelectasis"},
        Case{"DeidentificationTokenIsAWord", "Blunted costophrenic XXXX. XXXX XXXX pneumonia",
             "blunted costophrenic xxxx | xxxx xxxx pneumonia"},
        Case{"BulletsAndBlankLines", "Findings:\n- Edema\n- Effusion\n\nNo pneumothorax",
             "findings : | edema | effusion | no pneumothorax"},
        Case{"WrappedLineIsOneSentence", "No pleural\neffusion", "no pleural effusion"},
        Case{"UnicodeSpaces", "No\xC2\xA0pneumothorax\xE3\x80\x80or\xE2\x80\x8B effusion",
             "no pneumothorax or effusion"},
        Case{"Punctuation", "(left) atelectasis/scar, ? pneumonia",
             "( left ) atelectasis / scar , ? pneumonia"},
        Case{"EmptyAndBlank", "  .. \n\n ", ""}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(Tokenizer, MarksKindsAndSentences) {
  TokenizedReport report;
  tokenize_report("Effusion, 2.5 cm. Edema", report);
  ASSERT_EQ(report.tokens.size(), 5u);
  EXPECT_EQ(report.tokens[0].kind, TokenKind::kWord);
  EXPECT_EQ(report.tokens[1].kind, TokenKind::kPunct);
  EXPECT_EQ(report.tokens[2].kind, TokenKind::kNumber);
  EXPECT_EQ(report.tokens[4].sentence, 1u);
  EXPECT_EQ(report.num_sentences, 2u);
}

TEST(Tokenizer, ReusesBuffersAcrossReports) {
  TokenizedReport report;
  tokenize_report("A long first report with many words in it.", report);
  tokenize_report("Edema", report);
  ASSERT_EQ(report.tokens.size(), 1u);
  EXPECT_EQ(report.tokens[0].text, "edema");
  EXPECT_EQ(report.num_sentences, 1u);
}

TEST(Tokenizer, NeverFailsOnArbitraryBytes) {
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes += static_cast<char>(c);
  TokenizedReport report;
  tokenize_report(bytes + bytes, report);
  for (const auto& token : report.tokens) EXPECT_FALSE(token.text.empty());
}

TEST(Tokenizer, TokenizesPhrasesLikeReports) {
  EXPECT_EQ(tokenize_phrase("X-Ray"), (std::vector<std::string>{"x", "ray"}));
  EXPECT_EQ(tokenize_phrase("and/or"), (std::vector<std::string>{"and", "/", "or"}));
}

}  // namespace
