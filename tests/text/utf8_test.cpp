#include "rrg/text/utf8.h"

#include <gtest/gtest.h>

namespace {

using rrg::text::decode_utf8;
using rrg::text::encode_utf8;
using rrg::text::find_invalid_utf8;

TEST(Utf8, RoundTripsEveryLength) {
  const std::string s = "a\xC3\xA9\xE2\x80\xA8\xF0\x9F\x98\x80";  // a, é, U+2028, U+1F600
  const std::u32string cps = decode_utf8(s);
  EXPECT_EQ(cps, (std::u32string{U'a', U'\u00E9', U'\u2028', U'\U0001F600'}));
  EXPECT_EQ(encode_utf8(cps), s);
  EXPECT_EQ(find_invalid_utf8(s), std::string::npos);
}

TEST(Utf8, FindsInvalidSequences) {
  EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);            // invalid lead byte
  EXPECT_EQ(find_invalid_utf8("\xC3"), 0u);              // truncated
  EXPECT_EQ(find_invalid_utf8("x\xC0\x80"), 1u);         // overlong NUL
  EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), 0u);      // surrogate U+D800
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
}

}  // namespace
