// StringSlots numbers strings exactly as an std::unordered_map<std::string_view, slot> filled in
// the same order would: first occurrences get 0, 1, 2, ..., repeats find their number; through
// many table growths, with empty strings, shared prefixes and embedded NUL bytes.
#include "rrg/core/string_slots.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

std::vector<std::string> corpus(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> out = {"", std::string("a\0b", 3), std::string("a\0c", 3), "a"};
  std::uniform_int_distribution<int> length(0, 12), byte(0, 255), pick(0, 3);
  while (out.size() < n) {
    if (pick(rng) == 0 && !out.empty()) {  // a repeat of an earlier string
      out.push_back(out[std::uniform_int_distribution<std::size_t>(0, out.size() - 1)(rng)]);
      continue;
    }
    std::string s = pick(rng) == 1 ? "report " : "";  // shared prefixes
    for (int k = length(rng); k > 0; --k) s.push_back(static_cast<char>(byte(rng) % 8 + 'a'));
    out.push_back(s);
  }
  return out;
}

void expect_like_unordered_map(const std::vector<std::string>& strings, std::size_t expected) {
  rrg::StringSlots slots(expected);
  std::unordered_map<std::string_view, std::size_t> reference;
  for (const auto& s : strings) {
    bool inserted = false;
    const std::size_t slot = slots.find_or_add(s, inserted);
    const auto [it, new_key] = reference.emplace(s, reference.size());
    ASSERT_EQ(inserted, new_key) << s;
    ASSERT_EQ(slot, it->second) << s;
    ASSERT_EQ(slots.key(slot), s);
  }
  EXPECT_EQ(slots.size(), reference.size());
  // find() agrees with the map for every key, and misses what was never added.
  for (const auto& [key, slot] : reference) ASSERT_EQ(slots.find(key), slot) << key;
  EXPECT_EQ(slots.find("never added \x01"), rrg::StringSlots::npos);
}

TEST(StringSlots, NumbersFirstOccurrencesInOrder) {
  rrg::StringSlots slots;
  bool inserted = false;
  EXPECT_EQ(slots.find_or_add("b", inserted), 0u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(slots.find_or_add("a", inserted), 1u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(slots.find_or_add("b", inserted), 0u);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(slots.find_or_add("", inserted), 2u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(slots.size(), 3u);
}

TEST(StringSlots, EqualsAnUnorderedMapThroughGrowth) {
  const auto strings = corpus(200000, 7);
  expect_like_unordered_map(strings, 0);               // grows many times
  expect_like_unordered_map(strings, strings.size());  // never grows
}

}  // namespace
