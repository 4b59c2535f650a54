// append_json_string writes exactly what nlohmann::json(s).dump() writes, for every byte, every
// class of code point, random valid UTF-8 and random (mostly invalid) byte strings -- where
// dump() throws, it throws the same error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "rrg/io/json_text.h"
#include "rrg/text/utf8.h"
#include "support/radiology_reports.h"

namespace {

// "ok:<dump>" or "throws:<message>" for both writers.
std::string nlohmann_result(const std::string& s) {
  try {
    return "ok:" + nlohmann::json(s).dump();
  } catch (const nlohmann::json::exception& e) {
    return std::string("throws:") + e.what();
  }
}

std::string rrg_result(const std::string& s) {
  try {
    return "ok:" + rrg::io::json_string(s);
  } catch (const nlohmann::json::exception& e) {
    return std::string("throws:") + e.what();
  }
}

TEST(JsonString, EveryByteAloneAndInContext) {
  for (int c = 0; c < 256; ++c) {
    const std::string byte(1, static_cast<char>(c));
    for (const std::string& s : {byte, "a" + byte + "b", byte + byte, "\u00e9" + byte}) {
      EXPECT_EQ(rrg_result(s), nlohmann_result(s)) << "byte " << c;
    }
  }
}

TEST(JsonString, CodePointsOfEveryLength) {
  for (const char32_t cp : {0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu,
                            0x10000u, 0x1F600u, 0x10FFFFu, 0x2028u, 0x2029u, 0xA0u, 0x85u}) {
    std::string s = "x";
    rrg::text::append_utf8(cp, s);
    s += "\"\\";
    EXPECT_EQ(rrg_result(s), nlohmann_result(s)) << static_cast<unsigned>(cp);
  }
  for (const auto& text : rrg::testing::tokenizer_edge_texts()) {
    EXPECT_EQ(rrg_result(text), nlohmann_result(text));
  }
  for (const auto& text : rrg::testing::radiology_reports()) {
    EXPECT_EQ(rrg_result(text), nlohmann_result(text));
  }
}

TEST(JsonString, RandomValidUtf8) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> kind(0, 5);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string s;
    const int length = trial % 40;
    for (int k = 0; k < length; ++k) {
      char32_t cp = 0;
      switch (kind(rng)) {
        case 0:
          cp = std::uniform_int_distribution<char32_t>(0, 0x1F)(rng);
          break;
        case 1:
          cp = std::uniform_int_distribution<char32_t>(0x20, 0x7F)(rng);
          break;
        case 2:
          cp = std::uniform_int_distribution<char32_t>(0x80, 0x7FF)(rng);
          break;
        case 3:
          cp = std::uniform_int_distribution<char32_t>(0x800, 0xD7FF)(rng);
          break;
        case 4:
          cp = std::uniform_int_distribution<char32_t>(0xE000, 0xFFFF)(rng);
          break;
        default:
          cp = std::uniform_int_distribution<char32_t>(0x10000, 0x10FFFF)(rng);
          break;
      }
      rrg::text::append_utf8(cp, s);
    }
    ASSERT_EQ(rrg_result(s), nlohmann_result(s));
  }
}

TEST(JsonString, RandomBytesThrowLikeDump) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::size_t thrown = 0;
  for (int trial = 0; trial < 50000; ++trial) {
    std::string s;
    const int length = 1 + trial % 12;
    for (int k = 0; k < length; ++k) {
      // Mostly bytes around the UTF-8 boundaries (lead bytes, continuations, C0/C1, F4/F5).
      const int b = byte(rng);
      s += static_cast<char>(b < 128 ? b : 0x80 + (b % 0x78));
    }
    const std::string expected = nlohmann_result(s);
    thrown += expected.rfind("throws:", 0) == 0 ? 1 : 0;
    ASSERT_EQ(rrg_result(s), expected);
  }
  EXPECT_GT(thrown, 1000u);  // the invalid cases were exercised
}

}  // namespace
