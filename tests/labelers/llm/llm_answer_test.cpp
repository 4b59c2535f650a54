// Parsing LLM label answers and prompt templates (src/labelers/llm_answer.cpp, llm_prompt.cpp),
// issue 4: "first balanced JSON object, code fences, key case/spacing, string values; a missing
// key or unparsable answer is a parse error with the raw text".
#include "rrg/labelers/llm/llm_answer.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"
#include "rrg/labelers/llm/llm_prompt.h"
#include "support/test_support.h"

namespace rrg::labelers {
namespace {

// All 14 keys with `value` except the ones overridden.
std::string answer_with(const std::string& value, const std::string& cardiomegaly,
                        const std::string& key_style = "exact") {
  std::string out = "{";
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    std::string key(kObservationNames[i]);
    if (key_style == "snake") {
      for (auto& c : key) c = c == ' ' ? '_' : static_cast<char>(std::tolower(c));
    } else if (key_style == "upper") {
      for (auto& c : key) c = static_cast<char>(std::toupper(c));
      key = "  " + key + " ";
    }
    out += (i ? ", \"" : "\"") + key + "\": " + (i == 1 ? cardiomegaly : value);
  }
  return out + "}";
}

LabelRow row_with(Label value, Label cardiomegaly) {
  LabelRow row;
  row.fill(value);
  row[1] = cardiomegaly;
  return row;
}

struct AnswerCase {
  const char* name;
  std::string answer;
  LabelScheme scheme;
  LabelRow expected;
};

class ParseLabelAnswerTest : public ::testing::TestWithParam<AnswerCase> {};

TEST_P(ParseLabelAnswerTest, Labels) {
  const auto& c = GetParam();
  const auto parsed = parse_label_answer(c.answer, c.scheme);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    EXPECT_EQ(static_cast<int>(parsed.labels[i]), static_cast<int>(c.expected[i]))
        << kObservationNames[i];
  }
}

const auto kBinary = LabelScheme::kBinary;
const auto kFour = LabelScheme::kChexpert4;
const auto kPos = Label::kPositive;
const auto kNeg = Label::kNegative;
const auto kUnc = Label::kUncertain;
const auto kBlank = Label::kBlank;

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseLabelAnswerTest,
    ::testing::Values(
        AnswerCase{"plain", answer_with("0", "1"), kBinary, row_with(kNeg, kPos)},
        AnswerCase{"fenced", "Sure!\n```json\n" + answer_with("0", "1") + "\n```\nDone.", kBinary,
                   row_with(kNeg, kPos)},
        AnswerCase{"prose_around", "Labels: " + answer_with("0", "1") + " -- hope it helps {x}",
                   kBinary, row_with(kNeg, kPos)},
        AnswerCase{"invalid_braces_first", "{not json} then " + answer_with("0", "1"), kBinary,
                   row_with(kNeg, kPos)},
        AnswerCase{"snake_case_keys", answer_with("0", "1", "snake"), kBinary,
                   row_with(kNeg, kPos)},
        AnswerCase{"upper_spaced_keys", answer_with("0", "1", "upper"), kBinary,
                   row_with(kNeg, kPos)},
        AnswerCase{"yes_no_strings", answer_with("\"no\"", "\"Yes\""), kBinary,
                   row_with(kNeg, kPos)},
        AnswerCase{"present_absent", answer_with("\"absent\"", "\"present\""), kBinary,
                   row_with(kNeg, kPos)},
        AnswerCase{"string_digits", answer_with("\"0\"", "\"1\""), kBinary, row_with(kNeg, kPos)},
        AnswerCase{"booleans", answer_with("false", "true"), kBinary, row_with(kNeg, kPos)},
        AnswerCase{"floats", answer_with("0.0", "1.0"), kBinary, row_with(kNeg, kPos)},
        AnswerCase{"nested", "{\"labels\": " + answer_with("0", "1") + "}", kBinary,
                   row_with(kNeg, kPos)},
        AnswerCase{"braces_inside_strings",
                   "{\"note\": \"a } brace\", " + answer_with("0", "1").substr(1), kBinary,
                   row_with(kNeg, kPos)},
        // U-zeros: uncertain and not mentioned are 0 under the binary scheme...
        AnswerCase{"binary_uncertain_is_zero", answer_with("null", "-1"), kBinary,
                   row_with(kNeg, kNeg)},
        // ...and stay -1 / blank under chexpert4.
        AnswerCase{"four_way", answer_with("null", "-1"), kFour, row_with(kBlank, kUnc)},
        AnswerCase{"four_way_words", answer_with("\"not mentioned\"", "\"uncertain\""), kFour,
                   row_with(kBlank, kUnc)},
        AnswerCase{"four_way_zero", answer_with("0", "1"), kFour, row_with(kNeg, kPos)}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ParseLabelAnswer, MissingKeyIsAnErrorWithTheRawText) {
  std::string answer = answer_with("0", "1");
  const auto at = answer.find("\"Edema\": 0, ");
  answer.erase(at, std::string("\"Edema\": 0, ").size());
  const auto parsed = parse_label_answer(answer, kBinary);
  EXPECT_FALSE(parsed.ok);
  EXPECT_NE(parsed.error.find("the answer has no value for \"Edema\""), std::string::npos)
      << parsed.error;
  EXPECT_NE(parsed.error.find("raw answer: \"{"), std::string::npos) << parsed.error;
  EXPECT_EQ(parsed.labels, blank_row());
}

TEST(ParseLabelAnswer, UnrecognisedValueAndNoJson) {
  auto parsed = parse_label_answer(answer_with("0", "2"), kBinary);
  EXPECT_FALSE(parsed.ok);
  EXPECT_NE(parsed.error.find("unrecognised values (Cardiomegaly: 2)"), std::string::npos)
      << parsed.error;
  parsed = parse_label_answer("I cannot tell.", kBinary);
  EXPECT_FALSE(parsed.ok);
  EXPECT_EQ(parsed.error, "the answer holds no JSON object; raw answer: \"I cannot tell.\"");
  parsed = parse_label_answer("", kFour);
  EXPECT_FALSE(parsed.ok);
}

TEST(FirstJsonObject, FindsTheFirstBalancedValidObject) {
  EXPECT_EQ(first_json_object("x {\"a\": {\"b\": 1}} y {\"c\": 2}"), "{\"a\": {\"b\": 1}}");
  EXPECT_EQ(first_json_object("{\"s\": \"}\\\"{\"}"), "{\"s\": \"}\\\"{\"}");
  EXPECT_EQ(first_json_object("{unbalanced"), std::nullopt);
  EXPECT_EQ(first_json_object("no braces"), std::nullopt);
}

TEST(LabelAnswerSchema, RequiresAllObservations) {
  const auto binary = label_answer_schema(kBinary);
  EXPECT_EQ(binary["required"].size(), kNumObservations);
  EXPECT_EQ(binary["additionalProperties"], false);
  EXPECT_EQ(binary["properties"]["No Finding"]["enum"], nlohmann::json({1, 0}));
  const auto four = label_answer_schema(kFour);
  EXPECT_EQ(four["properties"]["Edema"]["enum"], nlohmann::json({1, 0, -1, nullptr}));
}

TEST(LabelScheme, Names) {
  EXPECT_EQ(parse_label_scheme("binary"), kBinary);
  EXPECT_EQ(parse_label_scheme("chexpert4"), kFour);
  EXPECT_THROW(parse_label_scheme("chexpert3"), InputError);
}

TEST(LlmPrompt, BuiltinPromptsAreVersionedAndComplete) {
  const auto binary = LlmPrompt::builtin(kBinary);
  EXPECT_EQ(binary.id, "rrg-chexpert14-uzeros.v1");
  EXPECT_FALSE(binary.system.empty());
  const auto four = LlmPrompt::builtin(kFour);
  EXPECT_EQ(four.id, "rrg-chexpert4.v1");
  for (const auto* prompt : {&binary, &four}) {
    for (const auto name : kObservationNames) {
      EXPECT_NE(prompt->user.find("\"" + std::string(name) + "\""), std::string::npos) << name;
    }
    EXPECT_EQ(prompt->user.find("# prompt-id"), std::string::npos);  // comments are dropped
  }
  // The binary prompt asks for U-zeros 1/0 only; chexpert4 asks for -1 and null.
  EXPECT_EQ(binary.user.find("-1"), std::string::npos);
  EXPECT_NE(four.user.find("-1 = uncertain"), std::string::npos);
}

TEST(LlmPrompt, MessagesInsertTheReportOnce) {
  const auto prompt =
      LlmPrompt::parse("[system]\nBe brief.\n[user]\nLabel: {report}\nEnd.\n", "inline", "test.v1");
  const auto messages = prompt.messages("text with {report} inside");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]["role"], "system");
  EXPECT_EQ(messages[0]["content"], "Be brief.");
  EXPECT_EQ(messages[1]["content"], "Label: text with {report} inside\nEnd.");
}

TEST(LlmPrompt, FilesWithoutSectionsAndTheirIds) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("p.txt"), "# my prompt\nLabel this: {report}\n");
  const auto prompt = LlmPrompt::from_file(dir.file("p.txt"));
  EXPECT_TRUE(prompt.system.empty());
  EXPECT_EQ(prompt.user, "Label this: {report}");
  EXPECT_EQ(prompt.id.rfind("file-", 0), 0u);
  EXPECT_EQ(prompt.id.size(), 5u + 12u);
  rrg::testing::write_file(dir.file("p.txt"), "# my prompt\nLabel that: {report}\n");
  EXPECT_NE(LlmPrompt::from_file(dir.file("p.txt")).id, prompt.id);  // edits change the id
  rrg::testing::write_file(dir.file("bad.txt"), "[user]\nno placeholder\n");
  try {
    LlmPrompt::from_file(dir.file("bad.txt"));
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.txt: the prompt template has no {report}"),
              std::string::npos);
  }
  EXPECT_THROW(LlmPrompt::from_file(dir.file("missing.txt")), InputError);
}

}  // namespace
}  // namespace rrg::labelers
