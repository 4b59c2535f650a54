// MT19937 seeding and stepping (see mt19937.h). The seeding routines are the reference
// init_genrand / init_by_array of Matsumoto and Nishimura (mt19937ar.c, 2002), which CPython's
// _randommodule.c and NumPy's mt19937.c both use unchanged.
#include "rrg/stats/mt19937.h"

#include <stdexcept>
#include <string>

#include "rrg/stats/mt19937_jump.h"

namespace rrg::stats {
namespace {

// Below this many blocks, twisting block by block is faster than a jump (a jump costs about as
// much as this many twists; see tools/bench-stats).
constexpr std::uint64_t kJumpMinBlocks = 32768;

}  // namespace

void Mt19937::seed(std::uint32_t value) {
  words_[0] = value;
  for (std::size_t i = 1; i < kMtWords; ++i) {
    const std::uint32_t previous = words_[i - 1];
    words_[i] = 1812433253u * (previous ^ (previous >> 30)) + static_cast<std::uint32_t>(i);
  }
  position_ = kMtWords;
}

void Mt19937::seed_by_array(const std::uint32_t* key, std::size_t length) {
  seed(19650218u);
  std::size_t i = 1, j = 0;
  for (std::size_t k = kMtWords > length ? kMtWords : length; k > 0; --k) {
    const std::uint32_t previous = words_[i - 1];
    words_[i] = (words_[i] ^ ((previous ^ (previous >> 30)) * 1664525u)) + key[j] +
                static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= kMtWords) {
      words_[0] = words_[kMtWords - 1];
      i = 1;
    }
    if (j >= length) j = 0;
  }
  for (std::size_t k = kMtWords - 1; k > 0; --k) {
    const std::uint32_t previous = words_[i - 1];
    words_[i] =
        (words_[i] ^ ((previous ^ (previous >> 30)) * 1566083941u)) - static_cast<std::uint32_t>(i);
    ++i;
    if (i >= kMtWords) {
      words_[0] = words_[kMtWords - 1];
      i = 1;
    }
  }
  words_[0] = 0x80000000u;  // a nonzero initial state
  position_ = kMtWords;
}

void Mt19937::twist() {
  detail::mt19937_kernels().twist(words_.data());
  position_ = 0;
}

void Mt19937::discard(std::uint64_t outputs) {
  // Target: output number position_ + outputs of the stream that starts at word 0 of this
  // block, i.e. word `rest` of the block `blocks` twists ahead. next32() twists only when it
  // needs a word, so a target at word 0 is kept as "previous block, used up".
  const std::uint64_t blocks = outputs / kMtWords + (position_ + outputs % kMtWords) / kMtWords;
  std::size_t rest = static_cast<std::size_t>((position_ + outputs % kMtWords) % kMtWords);
  std::uint64_t to_advance = blocks;
  if (rest == 0 && blocks > 0) {
    to_advance = blocks - 1;
    rest = kMtWords;
  }
  if (to_advance >= kJumpMinBlocks) {
    mt19937_jump_blocks(words_.data(), to_advance);
  } else {
    const auto twist_block = detail::mt19937_kernels().twist;
    for (std::uint64_t b = 0; b < to_advance; ++b) twist_block(words_.data());
  }
  position_ = rest;
}

void Mt19937::set_state(const std::array<std::uint32_t, kMtWords>& words, std::size_t position) {
  if (position > kMtWords) {
    throw std::invalid_argument("Mt19937::set_state: position " + std::to_string(position) +
                                " is past the 624-word block");
  }
  words_ = words;
  position_ = position;
}

}  // namespace rrg::stats
