// Prompt templates: substitution, literal braces, and errors that name the spot.
#include "rrg/text/prompt_template.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"

namespace {

const std::vector<std::string> kNames = {"indication", "views", "findings_hints"};

TEST(PromptTemplate, RendersPlaceholdersAndLiteralBraces) {
  const rrg::text::PromptTemplate t("Views: {views}.\nIndication: {indication}. JSON: {{\"a\": 1}}",
                                    kNames, "--prompt");
  EXPECT_EQ(t.render({{"views", "PA, LATERAL"}, {"indication", "Cough."}}),
            "Views: PA, LATERAL.\nIndication: Cough.. JSON: {\"a\": 1}");
  EXPECT_EQ(t.render({}), "Views: .\nIndication: . JSON: {\"a\": 1}");
  EXPECT_TRUE(t.uses("views"));
  EXPECT_FALSE(t.uses("findings_hints"));
  EXPECT_EQ(rrg::text::PromptTemplate("{views}{views}", kNames, "x").render({{"views", "AP"}}),
            "APAP");
}

std::string error_of(const std::string& text) {
  try {
    rrg::text::PromptTemplate(text, kNames, "prompt.txt");
  } catch (const rrg::InputError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(PromptTemplate, UnknownPlaceholderIsNamedWithASuggestion) {
  EXPECT_EQ(error_of("Write it.\nIndication: {indicaton}"),
            "prompt.txt:2:13: unknown placeholder {indicaton} (did you mean 'indication'?); the "
            "placeholders are {indication}, {views}, {findings_hints} (write {{ and }} for literal "
            "braces)");
  EXPECT_EQ(error_of("a } b"),
            "prompt.txt:1:3: unmatched '}' in the prompt template (write }} for a literal brace)");
  EXPECT_EQ(error_of("a {views"),
            "prompt.txt:1:3: unmatched '{' in the prompt template (write {{ for a literal brace)");
  EXPECT_NE(error_of("{}").find("unknown placeholder {}"), std::string::npos);
}

}  // namespace
