// Token interner: open addressing (linear probing, power-of-two table, load <= 1/2) over ids,
// strings stored back to back in one arena (see token_interner.h).
#include "rrg/text/token_interner.h"

#include <cstring>
#include <stdexcept>

namespace rrg::text {
namespace {

constexpr std::size_t kInitialSlots = 1024;

// A small multiplicative hash over 8-byte words (tokens are short; std::hash's out-of-line
// murmur showed up in profiles). Its quality only affects speed, never results.
std::uint64_t hash_of(std::string_view token) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  const char* p = token.data();
  std::size_t n = token.size();
  std::uint64_t h = kMul ^ (static_cast<std::uint64_t>(n) * 0xFF51AFD7ED558CCDull);
  while (n >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t word = 0;
    for (std::size_t k = 0; k < n; ++k) {
      word |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[k])) << (8 * k);
    }
    h = (h ^ word) * kMul;
    h ^= h >> 29;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

}  // namespace

TokenInterner::TokenInterner() : slots_(kInitialSlots, kNotFound) {}

std::size_t TokenInterner::slot_of(std::string_view token, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = static_cast<std::size_t>(hash) & mask;
  while (true) {
    const std::uint32_t id = slots_[slot];
    if (id == kNotFound) return slot;
    if (hashes_[id] == hash && spans_[id].length == token.size() &&
        std::memcmp(arena_.data() + spans_[id].offset, token.data(), token.size()) == 0) {
      return slot;
    }
    slot = (slot + 1) & mask;
  }
}

void TokenInterner::grow() {
  std::vector<std::uint32_t> bigger(slots_.size() * 2, kNotFound);
  const std::size_t mask = bigger.size() - 1;
  for (std::uint32_t id = 0; id < spans_.size(); ++id) {
    std::size_t slot = static_cast<std::size_t>(hashes_[id]) & mask;
    while (bigger[slot] != kNotFound) slot = (slot + 1) & mask;
    bigger[slot] = id;
  }
  slots_.swap(bigger);
}

std::uint32_t TokenInterner::intern(std::string_view token) {
  const std::uint64_t hash = hash_of(token);
  std::size_t slot = slot_of(token, hash);
  if (slots_[slot] != kNotFound) return slots_[slot];
  if (arena_.size() + token.size() > 0xFFFFFFFFu || spans_.size() >= kNotFound - 1) {
    throw std::length_error("TokenInterner: more than 4 GiB of distinct tokens");
  }
  const auto id = static_cast<std::uint32_t>(spans_.size());
  spans_.push_back(
      {static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(token.size())});
  arena_.append(token);
  hashes_.push_back(hash);
  slots_[slot] = id;
  if (2 * spans_.size() > slots_.size()) grow();
  return id;
}

std::uint32_t TokenInterner::find(std::string_view token) const {
  return slots_[slot_of(token, hash_of(token))];
}

}  // namespace rrg::text
