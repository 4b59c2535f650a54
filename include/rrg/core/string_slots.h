// Dense numbering of strings without a node per string: the first occurrence of each distinct
// string gets the next slot number, later occurrences find it. Used where millions of ids or
// report texts are deduplicated (id uniqueness of a report file, distinct texts to label), where
// a std::unordered_map costs one allocation per entry and most of the time.
//
// Keys are views: the strings must outlive the StringSlots.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace rrg {

class StringSlots {
 public:
  // Room for `expected` distinct strings before the table grows.
  explicit StringSlots(std::size_t expected = 0);

  // The slot of `key`: its existing number, or the next one (== size() before the call) when
  // it is new; `inserted` tells which.
  std::size_t find_or_add(std::string_view key, bool& inserted) {
    return find_or_add(key, hash(key), inserted);
  }
  // The same with the key's hash() computed by the caller, who may also prefetch() it a few
  // keys ahead: a table of millions of slots is a cache miss per probe otherwise.
  std::size_t find_or_add(std::string_view key, std::uint64_t hash, bool& inserted);
  static std::uint64_t hash(std::string_view key);
  void prefetch(std::uint64_t hash) const {
    __builtin_prefetch(&table_[hash & (table_.size() - 1)]);
  }

  // The slot of `key`, or npos when it was never added.
  std::size_t find(std::string_view key) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  std::size_t size() const { return keys_.size(); }
  std::string_view key(std::size_t slot) const { return keys_[slot]; }

 private:
  void grow();

  std::vector<std::string_view> keys_;  // by slot
  // (high 32 bits of the key's hash) << 32 | (slot + 1); 0 = empty; size a power of two. The
  // hash bits in the entry spare most probes a look at the key itself.
  std::vector<std::uint64_t> table_;
};

}  // namespace rrg
