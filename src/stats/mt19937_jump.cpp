// Jump-ahead for MT19937 (see mt19937_jump.h).
//
// States are handled as windows of 624 consecutive words of the MT sequence x_k: the block in
// Mt19937 is such a window (oldest word first), and one step T' appends
// x_{k+624} = x_{k+397} ^ f(upper bit of x_k, lower bits of x_{k+1}) and drops x_k. T' is
// linear on the 624 x 32 bits; on the 19937 bits that determine the future (the upper bit of the
// oldest word and the 623 others) it is T. Horner's rule therefore gives the right 19937 bits of
// the window k - 1 steps ahead; one more real step T' then yields a window whose every word is
// right (its words were full words of the previous window, or computed from its right bits).
#include "rrg/stats/mt19937_jump.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "rrg/stats/mt19937.h"

namespace rrg::stats {
namespace {

constexpr std::size_t kPolyWords = (kMtDegree + 63) / 64;  // 312: residues mod phi
constexpr std::size_t kProductWords = 2 * kPolyWords + 2;  // a square before reduction (+slack)

// Bit i of `p` as if the array were followed by zeros.
inline std::uint64_t get64(const std::uint64_t* p, std::size_t bit) {
  const std::size_t w = bit / 64, b = bit % 64;
  return b == 0 ? p[w] : (p[w] >> b) | (p[w + 1] << (64 - b));
}
inline void xor64(std::uint64_t* p, std::size_t bit, std::uint64_t value) {
  const std::size_t w = bit / 64, b = bit % 64;
  p[w] ^= value << b;
  if (b != 0) p[w + 1] ^= value >> (64 - b);
}

// phi's terms below x^19937 (the reduction rule x^19937 = sum of these).
const std::vector<int>& low_exponents() {
  static const std::vector<int> low(mt19937_characteristic_exponents().begin() + 1,
                                    mt19937_characteristic_exponents().end());
  return low;
}

// Reduces `p` (kProductWords words, zero above bit `top`) modulo phi, in place: every bit at or
// above x^19937 is replaced, 64 at a time from the top, by its image under the sparse rule. The
// highest low term is x^19314, so an image lies at least 623 bits below the chunk it replaces
// and chunks processed later (lower) see it.
void reduce(std::uint64_t* p, std::size_t top) {
  const std::vector<int>& low = low_exponents();
  if (top < static_cast<std::size_t>(kMtDegree)) return;
  const std::size_t chunks = (top - kMtDegree) / 64 + 1;
  for (std::size_t t = chunks; t-- > 0;) {
    const std::size_t c = kMtDegree + 64 * t;
    const std::uint64_t h = get64(p, c);
    if (h == 0) continue;
    xor64(p, c, h);
    const std::size_t base = c - kMtDegree;
    for (int e : low) xor64(p, base + static_cast<std::size_t>(e), h);
  }
}

// Spreads the 32 bits of `x` to the even bit positions of a 64-bit word (squaring over GF(2)).
inline std::uint64_t spread32(std::uint32_t x) {
  std::uint64_t v = x;
  v = (v | (v << 16)) & 0x0000FFFF0000FFFFull;
  v = (v | (v << 8)) & 0x00FF00FF00FF00FFull;
  v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0Full;
  v = (v | (v << 2)) & 0x3333333333333333ull;
  v = (v | (v << 1)) & 0x5555555555555555ull;
  return v;
}

void square_mod(std::vector<std::uint64_t>& poly, std::vector<std::uint64_t>& scratch) {
  std::fill(scratch.begin(), scratch.end(), 0);
  for (std::size_t w = 0; w < kPolyWords; ++w) {
    scratch[2 * w] = spread32(static_cast<std::uint32_t>(poly[w]));
    scratch[2 * w + 1] = spread32(static_cast<std::uint32_t>(poly[w] >> 32));
  }
  reduce(scratch.data(), 2 * (kMtDegree - 1));
  std::copy(scratch.begin(), scratch.begin() + kPolyWords, poly.begin());
}

void times_x_mod(std::vector<std::uint64_t>& poly) {
  for (std::size_t w = kPolyWords; w-- > 1;) poly[w] = (poly[w] << 1) | (poly[w - 1] >> 63);
  poly[0] <<= 1;
  const std::size_t w = kMtDegree / 64, b = kMtDegree % 64;
  if ((poly[w] >> b) & 1u) {
    poly[w] ^= std::uint64_t{1} << b;
    for (int e : low_exponents()) poly[e / 64] ^= std::uint64_t{1} << (e % 64);
  }
}

// A window of 624 words held in a ring: word i of the window is ring[(start + i) % 624].
struct Window {
  std::array<std::uint32_t, kMtWords> ring{};
  std::size_t start = 0;

  void step() {
    constexpr std::uint32_t kUpper = 0x80000000u, kLower = 0x7fffffffu, kMatrix = 0x9908b0dfu;
    const std::size_t next = start + 1 == kMtWords ? 0 : start + 1;
    const std::size_t far =
        start + kMtShift < kMtWords ? start + kMtShift : start + kMtShift - kMtWords;
    const std::uint32_t y = (ring[start] & kUpper) | (ring[next] & kLower);
    ring[start] = ring[far] ^ (y >> 1) ^ ((0u - (ring[next] & 1u)) & kMatrix);
    start = next;
  }

  // this += the window `other` (oldest word first).
  void add(const std::uint32_t* other) {
    const std::size_t tail = kMtWords - start;
    std::uint32_t* r = ring.data();
    for (std::size_t i = 0; i < tail; ++i) r[start + i] ^= other[i];
    for (std::size_t i = 0; i < start; ++i) r[i] ^= other[tail + i];
  }
};

}  // namespace

const std::vector<int>& mt19937_characteristic_exponents() {
  static const std::vector<int> exponents{
      19937, 19314, 19087, 18860, 18691, 18633, 18406, 18237, 18179, 18068, 17952, 17841, 17783,
      17725, 17498, 17445, 17329, 17271, 17160, 17044, 16933, 16875, 16822, 16817, 16595, 16590,
      16537, 16421, 16368, 16363, 16252, 16141, 16136, 16025, 15967, 15909, 15682, 15629, 15576,
      15513, 15455, 15349, 15344, 15228, 15117, 15059, 15006, 15001, 14953, 14779, 14774, 14721,
      14605, 14552, 14547, 14436, 14325, 14320, 14209, 14151, 14093, 13866, 13813, 13760, 13697,
      13639, 13533, 13528, 13412, 13301, 13243, 13190, 13185, 13137, 12963, 12958, 12905, 12789,
      12736, 12731, 12673, 12620, 12509, 12504, 12393, 12335, 12277, 11997, 11944, 11881, 11838,
      11717, 11712, 11611, 11485, 11384, 11374, 11321, 11215, 11157, 11147, 11089, 10920, 10761,
      10693, 10128, 9969,  9901,  9505,  8206,  7979,  7752,  7583,  7525,  7477,  7129,  6569,
      6337,  5661,  4753,  4362,  4135,  3908,  3681,  3454,  3227,  3000,  2773,  2493,  1870,
      1643,  1585,  1416,  1189,  0};
  return exponents;
}

std::vector<std::uint64_t> mt19937_x_power_mod(std::uint64_t exponent) {
  std::vector<std::uint64_t> poly(kPolyWords, 0);
  // Start from the top bits directly while x^e stays below the degree.
  int bit = 63;
  while (bit >= 0 && ((exponent >> bit) & 1u) == 0) --bit;
  if (bit < 0) {
    poly[0] = 1;
    return poly;
  }
  std::uint64_t head = 0;
  while (bit >= 0 &&
         ((head << 1) | ((exponent >> bit) & 1u)) < static_cast<std::uint64_t>(kMtDegree)) {
    head = (head << 1) | ((exponent >> bit) & 1u);
    --bit;
  }
  poly[head / 64] = std::uint64_t{1} << (head % 64);
  std::vector<std::uint64_t> scratch(kProductWords, 0);
  for (; bit >= 0; --bit) {
    square_mod(poly, scratch);
    if ((exponent >> bit) & 1u) times_x_mod(poly);
  }
  return poly;
}

void mt19937_jump_blocks(std::uint32_t* words, std::uint64_t blocks) {
  constexpr std::uint64_t kMaxBlocks = UINT64_MAX / kMtWords;  // blocks * 624 must fit
  while (blocks > kMaxBlocks) {
    mt19937_jump_blocks(words, kMaxBlocks);
    blocks -= kMaxBlocks;
  }
  if (blocks == 0) return;
  // The window (blocks * 624 - 1) steps ahead by Horner's rule, then one real step.
  const std::uint64_t steps = blocks * kMtWords - 1;
  const std::vector<std::uint64_t> g = mt19937_x_power_mod(steps);
  Window acc;
  int top = kMtDegree - 1;
  while (top >= 0 && ((g[top / 64] >> (top % 64)) & 1u) == 0) --top;
  for (int i = top; i >= 0; --i) {
    acc.step();
    if ((g[i / 64] >> (i % 64)) & 1u) acc.add(words);
  }
  acc.step();
  for (std::size_t i = 0; i < kMtWords; ++i) {
    const std::size_t j = acc.start + i;
    words[i] = acc.ring[j < kMtWords ? j : j - kMtWords];
  }
}

}  // namespace rrg::stats
