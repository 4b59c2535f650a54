// Open-addressing string numbering (see string_slots.h).
#include "rrg/core/string_slots.h"

#include <functional>
#include <limits>
#include <stdexcept>

namespace rrg {
namespace {

std::size_t table_size_for(std::size_t n) {
  std::size_t size = 16;
  while (size < 2 * n) size *= 2;
  return size;
}

}  // namespace

StringSlots::StringSlots(std::size_t expected) : table_(table_size_for(expected), 0) {
  keys_.reserve(expected);
}

std::uint64_t StringSlots::hash(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

std::size_t StringSlots::find_or_add(std::string_view key, std::uint64_t hash, bool& inserted) {
  const std::uint64_t tag = hash & 0xFFFFFFFF00000000ull;
  std::size_t mask = table_.size() - 1;
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const std::uint64_t entry = table_[s];
    if (entry == 0) break;
    if ((entry & 0xFFFFFFFF00000000ull) == tag) {
      const std::size_t slot = (entry & 0xFFFFFFFFu) - 1;
      if (keys_[slot] == key) {
        inserted = false;
        return slot;
      }
    }
  }
  if (keys_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
    throw std::length_error("StringSlots: more than 2^32 - 2 distinct strings");
  }
  const std::size_t slot = keys_.size();
  keys_.push_back(key);
  if (2 * keys_.size() > table_.size()) {
    grow();  // re-inserts every key, this one included
  } else {
    mask = table_.size() - 1;
    std::size_t s = hash & mask;
    while (table_[s] != 0) s = (s + 1) & mask;
    table_[s] = tag | (slot + 1);
  }
  inserted = true;
  return slot;
}

std::size_t StringSlots::find(std::string_view key) const {
  const std::uint64_t h = hash(key);
  const std::uint64_t tag = h & 0xFFFFFFFF00000000ull;
  const std::size_t mask = table_.size() - 1;
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    const std::uint64_t entry = table_[s];
    if (entry == 0) return npos;
    if ((entry & 0xFFFFFFFF00000000ull) == tag) {
      const std::size_t slot = (entry & 0xFFFFFFFFu) - 1;
      if (keys_[slot] == key) return slot;
    }
  }
}

void StringSlots::grow() {
  std::vector<std::uint64_t> bigger(table_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (std::size_t slot = 0; slot < keys_.size(); ++slot) {
    const std::uint64_t hash = std::hash<std::string_view>{}(keys_[slot]);
    std::size_t s = hash & mask;
    while (bigger[s] != 0) s = (s + 1) & mask;
    bigger[s] = (hash & 0xFFFFFFFF00000000ull) | (slot + 1);
  }
  table_.swap(bigger);
}

}  // namespace rrg
