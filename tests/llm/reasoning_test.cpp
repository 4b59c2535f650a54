// Tests of <think> handling (src/llm/reasoning.cpp), issue 4: "strip <think>…</think> and an
// orphan leading …</think>; detect truncated thinking".
#include "rrg/llm/reasoning.h"

#include <gtest/gtest.h>

namespace rrg::llm {
namespace {

struct Case {
  const char* name;
  const char* text;
  const char* content;
  const char* reasoning;
  bool truncated;
};

class SplitReasoningTest : public ::testing::TestWithParam<Case> {};

TEST_P(SplitReasoningTest, SplitsAnswerAndThinking) {
  const Case& c = GetParam();
  const SplitAnswer split = split_reasoning(c.text);
  EXPECT_EQ(split.content, c.content);
  EXPECT_EQ(split.reasoning, c.reasoning);
  EXPECT_EQ(split.truncated, c.truncated);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SplitReasoningTest,
    ::testing::Values(
        Case{"plain", "  No acute findings.\n", "No acute findings.", "", false},
        Case{"block", "<think>heart size?</think>\n\nNormal heart.", "Normal heart.", "heart size?",
             false},
        Case{"orphan_close", "Looking at the lungs.\n</think>\nClear lungs.", "Clear lungs.",
             "Looking at the lungs.", false},
        Case{"unclosed", "<think>First the heart, then", "", "First the heart, then", true},
        Case{"two_blocks", "<think>a</think>X<think>b</think>Y", "XY", "a\n\nb", false},
        Case{"block_after_text", "Answer<think>late</think>", "Answer", "late", false},
        Case{"empty_block", "<think>\n\n</think>\n\n{\"a\": 1}", "{\"a\": 1}", "", false},
        Case{"empty", "", "", "", false}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rrg::llm
