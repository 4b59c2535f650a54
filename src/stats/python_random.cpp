// CPython's random.Random (see python_random.h).
#include "rrg/stats/python_random.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "rrg/core/errors.h"

namespace rrg::stats {
namespace {

// Bits [offset, offset + 64) of `bits`, reading one word past the one holding `offset`.
inline std::uint64_t read64(const std::uint64_t* bits, std::size_t offset) {
  const std::size_t w = offset / 64, b = offset % 64;
  return b == 0 ? bits[w] : (bits[w] >> b) | (bits[w + 1] << (64 - b));
}

// ORs `count` bits of `src` starting at bit `src_offset` (src readable one word past them) into
// `dst` starting at bit `dst_offset` (those dst bits must be 0).
void or_bits(std::uint64_t* dst, std::size_t dst_offset, const std::uint64_t* src,
             std::size_t src_offset, std::size_t count) {
  while (count > 0) {
    const std::size_t dw = dst_offset / 64, db = dst_offset % 64;
    const std::size_t take = std::min<std::size_t>(count, 64 - db);
    std::uint64_t chunk = read64(src, src_offset);
    if (take < 64) chunk &= (std::uint64_t{1} << take) - 1;
    dst[dw] |= chunk << db;
    dst_offset += take;
    src_offset += take;
    count -= take;
  }
}

}  // namespace

std::vector<std::uint32_t> python_seed_key(std::uint64_t seed) {
  std::vector<std::uint32_t> key{static_cast<std::uint32_t>(seed)};
  if (seed >> 32) key.push_back(static_cast<std::uint32_t>(seed >> 32));
  return key;
}

std::vector<std::uint32_t> python_seed_key(std::string_view decimal) {
  std::string_view digits = decimal;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw InputError("seed '" + std::string(decimal) + "' is not an integer");
  }
  // |n| in base 2^32, least significant word first: multiply-and-add per decimal digit.
  std::vector<std::uint32_t> words{0};
  for (char c : digits) {
    std::uint64_t carry = static_cast<std::uint64_t>(c - '0');
    for (std::uint32_t& w : words) {
      const std::uint64_t v = static_cast<std::uint64_t>(w) * 10u + carry;
      w = static_cast<std::uint32_t>(v);
      carry = v >> 32;
    }
    if (carry != 0) words.push_back(static_cast<std::uint32_t>(carry));
  }
  while (words.size() > 1 && words.back() == 0) words.pop_back();
  return words;
}

PythonRandom::PythonRandom(const std::vector<std::uint32_t>& key) {
  const std::vector<std::uint32_t> zero{0};
  const std::vector<std::uint32_t>& used = key.empty() ? zero : key;
  engine_.seed_by_array(used.data(), used.size());
}

void PythonRandom::decide_current_block() {
  detail::mt19937_kernels().decide(engine_.words().data(), block_bits_);
  block_bits_[5] = 0;
  cache_valid_ = true;
}

void PythonRandom::swap_bits(std::uint64_t* bits, std::size_t count) {
  std::memset(bits, 0, words_per_mask(count) * sizeof(std::uint64_t));
  const detail::Mt19937Kernels& kernels = detail::mt19937_kernels();
  std::size_t done = 0;
  while (done < count) {
    std::size_t position = engine_.position();
    if (position % 2 != 0) {
      // A draw that starts on an odd word. This class never gets there (every draw takes two
      // outputs and a block has an even length), but handle it, draw by draw.
      for (; done < count; ++done) {
        const std::uint32_t a = engine_.next32();
        engine_.next32();
        bits[done / 64] |= static_cast<std::uint64_t>(a >> 31) << (done % 64);
      }
      cache_valid_ = false;
      continue;
    }
    if (position == kMtWords) {
      kernels.twist_and_decide(engine_.mutable_words(), block_bits_);
      block_bits_[5] = 0;
      cache_valid_ = true;
      position = 0;
    } else if (!cache_valid_) {
      decide_current_block();
    }
    const std::size_t take = std::min((kMtWords - position) / 2, count - done);
    or_bits(bits, done, block_bits_, position / 2, take);
    done += take;
    engine_.set_position(position + 2 * take);
  }
}

void PythonRandom::swap_masks(std::uint64_t* masks, std::size_t trials, std::size_t samples) {
  const std::size_t words = words_per_mask(samples);
  for (std::size_t t = 0; t < trials; ++t) swap_bits(masks + t * words, samples);
}

void PythonRandom::skip_draws(std::uint64_t count) {
  if (count <= UINT64_MAX / 2) {
    engine_.discard(2 * count);
  } else {
    engine_.discard(count);
    engine_.discard(count);
  }
  cache_valid_ = false;
}

}  // namespace rrg::stats
