// MT19937 exactly as CPython's `random.Random` and NumPy's legacy `RandomState` run it.
//
// Both keep the 624-word state as a block that is regenerated all at once ("twist") when the
// last word has been used, and hand out the words one at a time through the tempering
// transform. This class keeps the same (block, position) representation, so a state can be
// compared word for word with `random.getstate()` / `RandomState.get_state()`.
//
// Beyond the reference generators it offers what rrg's statistics need at scale:
//  - the block twist as a vectorised kernel (AVX2 when the CPU has it, portable code otherwise;
//    both compute the same integers, so results never depend on the CPU);
//  - jump-ahead (`discard`): the state after k outputs without producing them, by the
//    polynomial method (see mt19937_jump.h), so independent segments of one stream can be
//    generated on several threads with results identical to one thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace rrg::stats {

inline constexpr std::size_t kMtWords = 624;  // state words (N)
inline constexpr std::size_t kMtShift = 397;  // M

// The tempering transform applied to each state word on output.
inline std::uint32_t mt19937_temper(std::uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

class Mt19937 {
 public:
  // The reference generator's default seed (init_genrand(5489)).
  Mt19937() { seed(5489u); }

  // init_genrand: NumPy's RandomState(int) seeding (mt19937_seed).
  void seed(std::uint32_t value);
  // init_by_array: CPython's random.seed(int) seeding (and NumPy's array seeds).
  void seed_by_array(const std::uint32_t* key, std::size_t length);

  // The next tempered 32-bit output (genrand_uint32 / mt19937_next32).
  std::uint32_t next32() {
    if (position_ == kMtWords) twist();
    return mt19937_temper(words_[position_++]);
  }

  // Regenerates the whole block and rewinds the position to 0.
  void twist();

  // Advances the generator by `outputs` 32-bit outputs, leaving exactly the state that calling
  // next32() that many times would leave. Long distances use jump-ahead (a few milliseconds
  // whatever the distance), short ones twist block by block.
  void discard(std::uint64_t outputs);

  // The block and the index of the next word to output (624 = block used up), as in
  // `random.getstate()[1]` (whose last element is this position) and NumPy's state `key`/`pos`.
  const std::array<std::uint32_t, kMtWords>& words() const { return words_; }
  std::size_t position() const { return position_; }
  void set_state(const std::array<std::uint32_t, kMtWords>& words, std::size_t position);

  // Mutable access for the bulk generators in this library (they twist through twist() or a
  // kernel and keep position() consistent).
  std::uint32_t* mutable_words() { return words_.data(); }
  void set_position(std::size_t position) { position_ = position; }

 private:
  alignas(64) std::array<std::uint32_t, kMtWords> words_{};
  std::size_t position_ = kMtWords;
};

namespace detail {

// The block kernels. `decide` writes, for j = 0..311, bit j (LSB first, 64 per word, words
// 0..4, the 8 unused bits of word 4 cleared) = the top bit of the tempered word 2j: that is
// `random() >= 0.5` for a Python draw whose first output is word 2j.
struct Mt19937Kernels {
  const char* name;
  void (*twist)(std::uint32_t* words);
  void (*decide)(const std::uint32_t* words, std::uint64_t* bits);
  void (*twist_and_decide)(std::uint32_t* words, std::uint64_t* bits);
};

const Mt19937Kernels& portable_mt19937_kernels();
// The AVX2 kernels, or nullptr when this build or this CPU has no AVX2.
const Mt19937Kernels* avx2_mt19937_kernels();
// The fastest kernels this CPU runs (chosen once).
const Mt19937Kernels& mt19937_kernels();

}  // namespace detail
}  // namespace rrg::stats
