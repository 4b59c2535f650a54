// Tests of rrg/text/lower_splitter.h: the ASCII fast path must give exactly python_lower() and
// python_split(python_lower()) (whose Python parity python_str_test.cpp establishes), for every
// ASCII character, including the separators \x1c-\x1f that Python's split() treats as space.
#include "rrg/text/lower_splitter.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "rrg/text/python_str.h"

namespace {

using rrg::text::LowerSplitter;

std::vector<std::string> to_strings(const std::vector<std::string_view>& views) {
  return {views.begin(), views.end()};
}

void expect_same_as_python_str(LowerSplitter& splitter, const std::string& text) {
  const std::string lowered = rrg::text::python_lower(text);
  EXPECT_EQ(splitter.lower(text), lowered) << "text: " << text;
  EXPECT_EQ(to_strings(splitter.lower_split(text)), to_strings(rrg::text::python_split(lowered)))
      << "text: " << text;
}

TEST(LowerSplitter, HandWorked) {
  LowerSplitter splitter;
  EXPECT_EQ(to_strings(splitter.lower_split("  The Heart\tis\nNORMAL. ")),
            (std::vector<std::string>{"the", "heart", "is", "normal."}));
  EXPECT_EQ(to_strings(splitter.lower_split("a\x1c"
                                            "b\x1f"
                                            "c\x7f"
                                            "d")),
            (std::vector<std::string>{"a", "b",
                                      "c\x7f"
                                      "d"}));
  EXPECT_TRUE(splitter.lower_split("").empty());
  EXPECT_TRUE(splitter.lower_split(" \t\r\n\v\f").empty());
  // Non-ASCII text takes Python's full rules: NBSP separates, U+0130 lower-cases to two code
  // points.
  EXPECT_EQ(to_strings(splitter.lower_split("\u0130Z\u00a0OK")),
            (std::vector<std::string>{"i\u0307z", "ok"}));
}

TEST(LowerSplitter, RandomTextsMatchPythonStr) {
  // Every ASCII byte, plus a few multi-byte characters that are spaces or change case.
  std::vector<std::string> alphabet;
  for (int c = 1; c < 128; ++c) alphabet.emplace_back(1, static_cast<char>(c));
  for (const char* s : {"\u00a0", "\u3000", "\u2028", "\u0130", "\u03a3", "\u00c9", "\u212a"}) {
    alphabet.emplace_back(s);
  }
  std::mt19937 rng(99);
  LowerSplitter splitter;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text;
    const std::size_t n = rng() % 40;
    // Mostly ASCII texts (the fast path), some with a multi-byte character.
    const std::size_t choices = trial % 4 == 0 ? alphabet.size() : 127;
    for (std::size_t i = 0; i < n; ++i) text += alphabet[rng() % choices];
    expect_same_as_python_str(splitter, text);
  }
}

}  // namespace
