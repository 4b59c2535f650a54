#include "rrg/core/errors.h"

#include <gtest/gtest.h>

namespace {

TEST(LocationMessage, NamesFileLineAndColumn) {
  EXPECT_EQ(rrg::location_message("refs.jsonl", 42, 7, "expected a string"),
            "refs.jsonl:42:7: expected a string");
  EXPECT_EQ(rrg::location_message("refs.jsonl", 42, 0, "x"), "refs.jsonl:42: x");
  EXPECT_EQ(rrg::location_message("refs.jsonl", 0, 0, "x"), "refs.jsonl: x");
}

TEST(InputError, IsAnInvalidArgument) {
  try {
    throw rrg::InputError("bad");
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "bad");
  }
}

}  // namespace

namespace {

TEST(SampleList, ShowsTheFirstItemsAndMarksTheRest) {
  EXPECT_EQ(rrg::sample_list({}), "");
  EXPECT_EQ(rrg::sample_list({"a", "b"}), "a, b");
  EXPECT_EQ(rrg::sample_list({"a", "b", "c", "d"}, 3), "a, b, c, ...");
  EXPECT_EQ(rrg::sample_list({"a", "b", "c"}, 3), "a, b, c");
}

}  // namespace

namespace {

TEST(LineAndColumn, CountsLinesAndBytes) {
  EXPECT_EQ(rrg::line_and_column("ab\ncd", 0), (std::pair<std::size_t, std::size_t>{1, 1}));
  EXPECT_EQ(rrg::line_and_column("ab\ncd", 4), (std::pair<std::size_t, std::size_t>{2, 2}));
  EXPECT_EQ(rrg::line_and_column("ab\ncd", 99), (std::pair<std::size_t, std::size_t>{2, 3}));
}

}  // namespace
