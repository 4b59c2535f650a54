// MT19937 block kernels (see mt19937.h): the twist and the swap-decision bits, portable and AVX2.
//
// Twist: word i of the new block is  far ^ (y >> 1) ^ (y odd ? 0x9908b0df : 0)  with
// y = (upper bit of word i) | (lower 31 bits of word i + 1), and `far` word i + 397 of the old
// block for i < 227, word i - 227 of the new block after that. Only integer operations: every
// kernel computes the same words.
//
// Decision bit of a word w: the top bit of tempered(w). Following the tempering shifts, that bit
// is w31 ^ w27 ^ w24 ^ w16, i.e. bit 31 of w ^ (w << 4) ^ (w << 7) ^ (w << 15).
#include <cstring>

#include "rrg/stats/mt19937.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RRG_STATS_HAVE_AVX2_KERNELS 1
#endif

namespace rrg::stats::detail {
namespace {

constexpr std::uint32_t kUpper = 0x80000000u;
constexpr std::uint32_t kLower = 0x7fffffffu;
constexpr std::uint32_t kMatrix = 0x9908b0dfu;
constexpr std::size_t kFirstPart = kMtWords - kMtShift;  // 227

inline std::uint32_t mix(std::uint32_t current, std::uint32_t next, std::uint32_t far) {
  const std::uint32_t y = (current & kUpper) | (next & kLower);
  return far ^ (y >> 1) ^ ((0u - (next & 1u)) & kMatrix);
}

inline std::uint32_t decision_bit(std::uint32_t w) {
  return (w ^ (w << 4) ^ (w << 7) ^ (w << 15)) >> 31;
}

void twist_portable(std::uint32_t* mt) {
  std::size_t i = 0;
  for (; i < kFirstPart; ++i) mt[i] = mix(mt[i], mt[i + 1], mt[i + kMtShift]);
  for (; i < kMtWords - 1; ++i) mt[i] = mix(mt[i], mt[i + 1], mt[i - kFirstPart]);
  mt[kMtWords - 1] = mix(mt[kMtWords - 1], mt[0], mt[kMtShift - 1]);
}

void decide_portable(const std::uint32_t* mt, std::uint64_t* bits) {
  for (std::size_t w = 0; w < 5; ++w) {
    std::uint64_t word = 0;
    const std::size_t first = w * 64;
    const std::size_t last = first + 64 < kMtWords / 2 ? first + 64 : kMtWords / 2;
    for (std::size_t j = first; j < last; ++j) {
      word |= static_cast<std::uint64_t>(decision_bit(mt[2 * j])) << (j - first);
    }
    bits[w] = word;
  }
}

void twist_and_decide_portable(std::uint32_t* mt, std::uint64_t* bits) {
  twist_portable(mt);
  decide_portable(mt, bits);
}

#ifdef RRG_STATS_HAVE_AVX2_KERNELS

#define RRG_AVX2 __attribute__((target("avx2")))

RRG_AVX2 inline __m256i load8(const std::uint32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
RRG_AVX2 inline void store8(std::uint32_t* p, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
}

// Eight words of the new block from the current words, their successors and the far words.
RRG_AVX2 inline __m256i mix8(__m256i current, __m256i next, __m256i far) {
  const __m256i upper = _mm256_set1_epi32(static_cast<int>(kUpper));
  const __m256i matrix = _mm256_set1_epi32(static_cast<int>(kMatrix));
  const __m256i y =
      _mm256_or_si256(_mm256_and_si256(current, upper), _mm256_andnot_si256(upper, next));
  // All ones where `next` is odd: shift its lowest bit to the top, then arithmetic shift down.
  const __m256i odd = _mm256_srai_epi32(_mm256_slli_epi32(next, 31), 31);
  return _mm256_xor_si256(_mm256_xor_si256(far, _mm256_srli_epi32(y, 1)),
                          _mm256_and_si256(odd, matrix));
}

RRG_AVX2 void twist_avx2(std::uint32_t* mt) {
  std::size_t i = 0;
  // New words 0..226 read only old words (i + 1 and i + 397 are not yet rewritten).
  for (; i + 8 <= kFirstPart; i += 8) {
    store8(mt + i, mix8(load8(mt + i), load8(mt + i + 1), load8(mt + i + kMtShift)));
  }
  for (; i < kFirstPart; ++i) mt[i] = mix(mt[i], mt[i + 1], mt[i + kMtShift]);
  // New words 227..622 read new words i - 227 (all written before) and old words i + 1.
  for (; i + 8 <= kMtWords - 1; i += 8) {
    store8(mt + i, mix8(load8(mt + i), load8(mt + i + 1), load8(mt + i - kFirstPart)));
  }
  for (; i < kMtWords - 1; ++i) mt[i] = mix(mt[i], mt[i + 1], mt[i - kFirstPart]);
  mt[kMtWords - 1] = mix(mt[kMtWords - 1], mt[0], mt[kMtShift - 1]);
}

// Decision bits of the even words among 16 consecutive words, as one byte (LSB = word 0).
RRG_AVX2 inline unsigned decide16(const std::uint32_t* p) {
  const __m256 low = _mm256_castsi256_ps(load8(p));
  const __m256 high = _mm256_castsi256_ps(load8(p + 8));
  // Per 128-bit lane: words 0, 2 of `low` then 0, 2 of `high`; then put the 64-bit pairs back in
  // stream order: even words 0, 2, 4, 6 of `low`, then those of `high`.
  __m256i even = _mm256_castps_si256(_mm256_shuffle_ps(low, high, 0x88));
  even = _mm256_permute4x64_epi64(even, 0xD8);
  const __m256i folded =
      _mm256_xor_si256(_mm256_xor_si256(even, _mm256_slli_epi32(even, 4)),
                       _mm256_xor_si256(_mm256_slli_epi32(even, 7), _mm256_slli_epi32(even, 15)));
  return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(folded)));
}

RRG_AVX2 void decide_avx2(const std::uint32_t* mt, std::uint64_t* bits) {
  // 624 words = 39 groups of 16 = 39 bytes of decisions, little-endian into 5 words.
  unsigned char bytes[40];
  for (std::size_t g = 0; g < 39; ++g) bytes[g] = static_cast<unsigned char>(decide16(mt + 16 * g));
  bytes[39] = 0;
  for (std::size_t w = 0; w < 5; ++w) {
    std::uint64_t word = 0;
    for (std::size_t b = 0; b < 8; ++b)
      word |= static_cast<std::uint64_t>(bytes[8 * w + b]) << (8 * b);
    bits[w] = word;
  }
}

RRG_AVX2 void twist_and_decide_avx2(std::uint32_t* mt, std::uint64_t* bits) {
  twist_avx2(mt);
  decide_avx2(mt, bits);
}

#endif  // RRG_STATS_HAVE_AVX2_KERNELS

}  // namespace

const Mt19937Kernels& portable_mt19937_kernels() {
  static const Mt19937Kernels kernels{"portable", twist_portable, decide_portable,
                                      twist_and_decide_portable};
  return kernels;
}

const Mt19937Kernels* avx2_mt19937_kernels() {
#ifdef RRG_STATS_HAVE_AVX2_KERNELS
  static const Mt19937Kernels kernels{"avx2", twist_avx2, decide_avx2, twist_and_decide_avx2};
  static const bool supported = __builtin_cpu_supports("avx2");
  return supported ? &kernels : nullptr;
#else
  return nullptr;
#endif
}

const Mt19937Kernels& mt19937_kernels() {
  static const Mt19937Kernels& chosen =
      avx2_mt19937_kernels() != nullptr ? *avx2_mt19937_kernels() : portable_mt19937_kernels();
  return chosen;
}

}  // namespace rrg::stats::detail
