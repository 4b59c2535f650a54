// Token interning: each distinct string gets a small dense integer id.
//
// Metrics compare tokens millions of times (LCS tables, alignments) and compute per-word work
// (stems, WordNet synonyms) that should happen once per distinct word. Interning turns tokens
// into uint32 ids so comparisons are integer compares and per-word results live in plain arrays
// indexed by id. Ids are assigned 0, 1, 2, ... in first-seen order and never change.
//
// The strings live in one growing byte arena; the hash table stores ids only, so interning a
// token that is already known allocates nothing. Not thread-safe: use one interner per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::text {

class TokenInterner {
 public:
  static constexpr std::uint32_t kNotFound = 0xFFFFFFFFu;

  TokenInterner();

  // The id of `token`, adding it when new.
  std::uint32_t intern(std::string_view token);

  // The id of `token`, or kNotFound.
  std::uint32_t find(std::string_view token) const;

  // The string of `id` (valid until the next intern() call that adds a string).
  std::string_view str(std::uint32_t id) const {
    return std::string_view(arena_.data() + spans_[id].offset, spans_[id].length);
  }

  // Number of distinct strings interned so far (ids are 0 .. size()-1).
  std::size_t size() const { return spans_.size(); }

 private:
  struct Span {
    std::uint32_t offset;
    std::uint32_t length;
  };

  std::size_t slot_of(std::string_view token, std::uint64_t hash) const;
  void grow();

  std::string arena_;
  std::vector<Span> spans_;
  std::vector<std::uint64_t> hashes_;  // hashes_[id]
  std::vector<std::uint32_t> slots_;   // open addressing table of ids (kNotFound = empty)
};

}  // namespace rrg::text
