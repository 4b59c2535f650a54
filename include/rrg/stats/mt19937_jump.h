// Jump-ahead for MT19937 by the polynomial method (Haramoto, Matsumoto, Nishimura, Panneton,
// L'Ecuyer, "Efficient jump ahead for F2-linear random number generators", 2008).
//
// One MT19937 step is a linear map T on a 19937-bit state, with characteristic polynomial
// phi(x) of degree 19937. Since phi(T) = 0, T^k = g(T) with g(x) = x^k mod phi(x), a polynomial
// of degree < 19937; g(T) s is evaluated by Horner's rule with one generator step and, for each
// nonzero coefficient, one XOR of states. x^k mod phi costs ~log2(k) squarings, each reduced
// with the sparse phi (135 terms), so a jump costs the same few milliseconds for any distance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rrg::stats {

inline constexpr int kMtDegree = 19937;

// Exponents of phi's nonzero terms, highest first (19937 ... 0). Derived from the generator's
// own output by Berlekamp-Massey (the unit test derives them again and compares).
const std::vector<int>& mt19937_characteristic_exponents();

// x^exponent mod phi(x) over GF(2): coefficient of x^i at bit i % 64 of word i / 64, 312 words.
std::vector<std::uint64_t> mt19937_x_power_mod(std::uint64_t exponent);

// Replaces the 624-word block `words` by the block `blocks` twists later, in a few milliseconds.
void mt19937_jump_blocks(std::uint32_t* words, std::uint64_t blocks);

}  // namespace rrg::stats
