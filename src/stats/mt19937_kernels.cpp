// MT19937 block kernels (see mt19937.h): the twist and the swap-decision bits, portable and AVX2.
//
// Twist: word i of the new block is  far ^ (y >> 1) ^ (y odd ? 0x9908b0df : 0)  with
// y = (upper bit of word i) | (lower 31 bits of word i + 1), and `far` word i + 397 of the old
// block for i < 227, word i - 227 of the new block after that. Only integer operations: every
// kernel computes the same words.
//
// Decision bit of a word w: the top bit of tempered(w). Following the tempering shifts, that bit
// is w31 ^ w27 ^ w24 ^ w16, i.e. bit 31 of w ^ (w << 4) ^ (w << 7) ^ (w << 15).
#include <array>
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

void twist_portable(std::uint32_t* mt) {
  std::size_t i = 0;
  for (; i < kFirstPart; ++i) mt[i] = mix(mt[i], mt[i + 1], mt[i + kMtShift]);
  for (; i < kMtWords - 1; ++i) mt[i] = mix(mt[i], mt[i + 1], mt[i - kFirstPart]);
  mt[kMtWords - 1] = mix(mt[kMtWords - 1], mt[0], mt[kMtShift - 1]);
}

void decide_portable(const std::uint32_t* mt, std::uint64_t* bits) {
  // Two decisions per 64-bit fold: even words 4p and 4p + 2 side by side. Shifts of at most 15
  // move no bit of one half into the sources of the other half's top bit.
  for (std::size_t w = 0; w < 5; ++w) {
    std::uint64_t word = 0;
    const std::size_t pairs = w < 4 ? 32 : 28;  // 312 decisions = 4 x 64 + 56
    const std::uint32_t* p = mt + 128 * w;
    for (std::size_t k = 0; k < pairs; ++k) {
      const std::uint64_t v = p[4 * k] | static_cast<std::uint64_t>(p[4 * k + 2]) << 32;
      const std::uint64_t f = v ^ (v << 4) ^ (v << 7) ^ (v << 15);
      word |= (((f >> 31) & 1u) | ((f >> 62) & 2u)) << (2 * k);
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

// folded_evens16's nibble table: entry n has bit 7 = n3 ^ n0 and bit 6 = n0.
constexpr std::array<unsigned char, 16> decision_nibbles() {
  std::array<unsigned char, 16> table{};
  for (unsigned n = 0; n < 16; ++n) {
    table[n] = static_cast<unsigned char>((((n >> 3) ^ n) & 1u) << 7 | (n & 1u) << 6);
  }
  return table;
}
constexpr std::array<unsigned char, 16> kDecisionNibbles = decision_nibbles();

RRG_AVX2 inline __m256i load8(const std::uint32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
RRG_AVX2 inline void store8(std::uint32_t* p, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v);
}

// Eight words of the new block from the current words, their successors and the far words.
// Vector shifts issue on one pipe only on some x86 cores (AMD Zen), so the "odd" term is a table
// lookup instead of a shift pair: vpermilps picks lane (next & 3) of {0, A, 0, A}.
RRG_AVX2 inline __m256i mix8(__m256i current, __m256i next, __m256i far) {
  const __m256i upper = _mm256_set1_epi32(static_cast<int>(kUpper));
  const __m256 odd_table = _mm256_castsi256_ps(
      _mm256_setr_epi32(0, static_cast<int>(kMatrix), 0, static_cast<int>(kMatrix), 0,
                        static_cast<int>(kMatrix), 0, static_cast<int>(kMatrix)));
  const __m256i y =
      _mm256_or_si256(_mm256_and_si256(current, upper), _mm256_andnot_si256(upper, next));
  const __m256i odd = _mm256_castps_si256(_mm256_permutevar_ps(odd_table, next));
  return _mm256_xor_si256(_mm256_xor_si256(far, _mm256_srli_epi32(y, 1)), odd);
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

// Folded even words of 16 consecutive words (decisions in the sign bits). The fold's bit 31 is
// w31 ^ w27 ^ w24 ^ w16. Vector shifts issue on few pipes on x86 cores, so a nibble table
// (vpshufb) does most of it: entry n of the table (n = a byte's low nibble) has bit 7 = n3 ^ n0
// and bit 6 = n0. In byte 3 that puts w27 ^ w24 at bit 31; in byte 2 it puts w16 at bit 22,
// which one shift by 9 brings to bit 31.
// The even words come out of vshufps in the order (per 128-bit lane) 0, 2, 8, 10 | 4, 6, 12,
// 14, i.e. draws 0, 1, 4, 5 | 2, 3, 6, 7 of the 8 the group holds.
RRG_AVX2 inline __m256i folded_evens16(const std::uint32_t* p) {
  const __m256 low = _mm256_castsi256_ps(load8(p));
  const __m256 high = _mm256_castsi256_ps(load8(p + 8));
  const __m256i even = _mm256_castps_si256(_mm256_shuffle_ps(low, high, 0x88));
  const __m256i table = _mm256_broadcastsi128_si256(
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(kDecisionNibbles.data())));
  const __m256i looked_up =
      _mm256_shuffle_epi8(table, _mm256_and_si256(even, _mm256_set1_epi8(0x0F)));
  return _mm256_xor_si256(_mm256_xor_si256(even, looked_up), _mm256_slli_epi32(looked_up, 9));
}

// Spreads the eight 2-bit groups of `x` to every other 2-bit position (group p to bits 4p, 4p+1).
inline std::uint32_t spread_pairs(std::uint32_t x) {
  x = (x | (x << 8)) & 0x00FF00FFu;
  x = (x | (x << 4)) & 0x0F0F0F0Fu;
  x = (x | (x << 2)) & 0x33333333u;
  return x;
}

// The 32 decisions of 64 consecutive words. Signed packing keeps the sign bits: after
// packs(packs(F0, F1), packs(F2, F3)) lane 0 holds draws (4p, 4p + 1) as its byte pair p and
// lane 1 draws (4p + 2, 4p + 3); interleaving the pairs of the two lanes restores draw order.
RRG_AVX2 inline std::uint32_t decide64(const std::uint32_t* p) {
  const __m256i f01 = _mm256_packs_epi32(folded_evens16(p), folded_evens16(p + 16));
  const __m256i f23 = _mm256_packs_epi32(folded_evens16(p + 32), folded_evens16(p + 48));
  const auto m = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_packs_epi16(f01, f23)));
  return spread_pairs(m & 0xFFFFu) | (spread_pairs(m >> 16) << 2);
}

// The 8 decisions of 16 consecutive words (draws 2, 3 and 4, 5 swapped back into place).
RRG_AVX2 inline std::uint32_t decide16(const std::uint32_t* p) {
  const auto m =
      static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(folded_evens16(p))));
  return (m & 0xC3u) | ((m & 0x0Cu) << 2) | ((m & 0x30u) >> 2);
}

RRG_AVX2 void decide_avx2(const std::uint32_t* mt, std::uint64_t* bits) {
  // 624 words = 9 x 64 + 3 x 16 words: decisions 0..287 in 32-bit pieces, 288..311 in bytes.
  for (std::size_t w = 0; w < 4; ++w) {
    bits[w] = decide64(mt + 128 * w) | static_cast<std::uint64_t>(decide64(mt + 128 * w + 64))
                                           << 32;
  }
  bits[4] = decide64(mt + 512) | static_cast<std::uint64_t>(decide16(mt + 576)) << 32 |
            static_cast<std::uint64_t>(decide16(mt + 592)) << 40 |
            static_cast<std::uint64_t>(decide16(mt + 608)) << 48;
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
  static const bool supported = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
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
