// CPython's `random.Random(seed)` for an int seed: the stream RadEval's paired approximate
// randomization draws from, reproduced bit for bit, plus bulk generation of the swap decisions
// that stream makes.
//
// Seeding (CPython Modules/_randommodule.c, random_seed): the seed's absolute value is split
// into 32-bit words, least significant first (0 gives the single word 0), and fed to
// init_by_array. random() takes two outputs a, b and returns (a >> 5, b >> 6) as
// (a * 2^26 + b) / 2^53.
//
// Swap decisions: RadEval keeps sample i's outputs in place when `rng.random() < 0.5` and swaps
// them otherwise. random() < 0.5 exactly when the first output's top bit is 0, so the decisions
// are the top bits of every other output; the second output of each draw is still consumed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "rrg/stats/mt19937.h"

namespace rrg::stats {

// The init_by_array key of random.seed(n) for the integer n.
std::vector<std::uint32_t> python_seed_key(std::uint64_t seed);
// The same for an integer written in decimal, of any size, optionally signed ("-5" seeds like
// 5, as in CPython). Throws rrg::InputError for anything but an optional sign and digits.
std::vector<std::uint32_t> python_seed_key(std::string_view decimal);

class PythonRandom {
 public:
  explicit PythonRandom(std::uint64_t seed) : PythonRandom(python_seed_key(seed)) {}
  explicit PythonRandom(const std::vector<std::uint32_t>& key);

  // random.random()
  double random() {
    if (engine_.position() + 2 > kMtWords) cache_valid_ = false;  // about to twist
    const std::uint32_t a = engine_.next32() >> 5, b = engine_.next32() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  // Draws `count` values of random() and stores whether each is >= 0.5 ("swap"): bit i of the
  // array (bit i % 64 of bits[i / 64]) for draw i. The ceil(count / 64) words are overwritten
  // and the bits past `count` in the last one cleared.
  void swap_bits(std::uint64_t* bits, std::size_t count);

  // `trials` rows of swap_bits(row, samples), one after the other from the stream, each row
  // words_per_mask(samples) words long (masks[t * words_per_mask(samples) + w]).
  void swap_masks(std::uint64_t* masks, std::size_t trials, std::size_t samples);
  static std::size_t words_per_mask(std::size_t samples) { return (samples + 63) / 64; }

  // Skips `count` draws of random() (two outputs each) by jump-ahead.
  void skip_draws(std::uint64_t count);

  const Mt19937& engine() const { return engine_; }

 private:
  // Refreshes the decision cache for the current block after the engine twisted on its own.
  void decide_current_block();

  Mt19937 engine_;
  // Decisions of the 312 even words of the current block (+1 word of zeros for 2-word reads);
  // valid when cache_valid_.
  std::uint64_t block_bits_[6] = {};
  bool cache_valid_ = false;
};

}  // namespace rrg::stats
