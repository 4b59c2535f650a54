// Tests of rrg/text/token_interner.h: dense first-seen ids, lookups, and growth.
#include "rrg/text/token_interner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using rrg::text::TokenInterner;

TEST(TokenInterner, AssignsDenseIdsInFirstSeenOrder) {
  TokenInterner interner;
  EXPECT_EQ(interner.intern("heart"), 0u);
  EXPECT_EQ(interner.intern("size"), 1u);
  EXPECT_EQ(interner.intern("heart"), 0u);
  EXPECT_EQ(interner.intern(""), 2u);  // the empty string is a token like any other
  EXPECT_EQ(interner.size(), 3u);
  EXPECT_EQ(interner.str(0), "heart");
  EXPECT_EQ(interner.str(1), "size");
  EXPECT_EQ(interner.str(2), "");
}

TEST(TokenInterner, FindDoesNotAdd) {
  TokenInterner interner;
  interner.intern("lung");
  EXPECT_EQ(interner.find("lung"), 0u);
  EXPECT_EQ(interner.find("lungs"), TokenInterner::kNotFound);
  EXPECT_EQ(interner.size(), 1u);
}

TEST(TokenInterner, BytesAreComparedExactly) {
  TokenInterner interner;
  const std::string with_nul("a\0b", 3);
  const auto a = interner.intern("a");
  const auto nul = interner.intern(with_nul);
  const auto upper = interner.intern("A");
  const auto accented = interner.intern("\xC3\xA9");  // é
  EXPECT_NE(a, nul);
  EXPECT_NE(a, upper);
  EXPECT_EQ(interner.intern(with_nul), nul);
  EXPECT_EQ(interner.str(nul), with_nul);
  EXPECT_EQ(interner.str(accented), "\xC3\xA9");
}

TEST(TokenInterner, GrowsPastManyRehashes) {
  TokenInterner interner;
  constexpr std::uint32_t kCount = 200000;
  for (std::uint32_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(interner.intern("token" + std::to_string(i)), i);
  }
  EXPECT_EQ(interner.size(), kCount);
  for (std::uint32_t i = 0; i < kCount; i += 997) {
    EXPECT_EQ(interner.find("token" + std::to_string(i)), i);
    EXPECT_EQ(interner.str(i), "token" + std::to_string(i));
  }
}

}  // namespace
