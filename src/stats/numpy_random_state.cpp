// NumPy's legacy RandomState (see numpy_random_state.h).
#include "rrg/stats/numpy_random_state.h"

#include <algorithm>
#include <string>

#include "rrg/core/errors.h"

namespace rrg::stats {
namespace {

// gen_mask: the smallest all-ones mask >= max.
std::uint64_t mask_for(std::uint64_t max) {
  std::uint64_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  return mask;
}

[[noreturn]] void refuse_seed(std::string_view seed) {
  throw InputError("seed " + std::string(seed) +
                   " cannot seed NumPy's RandomState: Seed must be between 0 and 2**32 - 1 "
                   "(NumPy's legacy seeding accepts no other integer)");
}

// off + bounded value for every element: the legacy masked rejection loop.
template <typename Out, typename Convert>
void bounded_fill(Mt19937& engine, std::uint64_t off, std::uint64_t rng, Out* out,
                  std::size_t count, Convert convert) {
  if (rng == 0) {
    std::fill(out, out + count, convert(off));
    return;
  }
  const std::uint64_t mask = mask_for(rng);
  if (rng <= 0xFFFFFFFFull) {
    const auto mask32 = static_cast<std::uint32_t>(mask);
    const auto rng32 = static_cast<std::uint32_t>(rng);
    for (std::size_t i = 0; i < count; ++i) {
      std::uint32_t value;
      do {
        value = engine.next32() & mask32;
      } while (value > rng32);
      out[i] = convert(off + value);
    }
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t value;
    do {
      const std::uint64_t high = engine.next32();  // mt19937_next64: first output on top
      value = ((high << 32) | engine.next32()) & mask;
    } while (value > rng);  // rng == 2^64 - 1 has mask all ones: never rejects, as NumPy
    out[i] = convert(off + value);
  }
}

}  // namespace

NumpyRandomState::NumpyRandomState(std::uint64_t seed) {
  if (seed > kNumpyMaxSeed) refuse_seed(std::to_string(seed));
  engine_.seed(static_cast<std::uint32_t>(seed));
}

NumpyRandomState NumpyRandomState::from_decimal(std::string_view seed) {
  std::string_view digits = seed;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw InputError("seed '" + std::string(seed) + "' is not an integer");
  }
  digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size() - 1));
  const bool zero = digits == "0";
  if ((negative && !zero) || digits.size() > 10) refuse_seed(seed);
  const std::uint64_t value = std::stoull(std::string(digits));
  if (value > kNumpyMaxSeed) refuse_seed(seed);
  return NumpyRandomState(value);
}

void NumpyRandomState::randint(std::int64_t low, std::int64_t high, std::int64_t* out,
                               std::size_t count) {
  if (low >= high) {
    throw InputError("randint(" + std::to_string(low) + ", " + std::to_string(high) +
                     "): low >= high");
  }
  const std::uint64_t off = static_cast<std::uint64_t>(low);
  const std::uint64_t rng = static_cast<std::uint64_t>(high) - 1u - off;
  bounded_fill(engine_, off, rng, out, count,
               [](std::uint64_t v) { return static_cast<std::int64_t>(v); });
}

void NumpyRandomState::indices(std::uint64_t n, std::uint32_t* out, std::size_t count) {
  if (n == 0 || n > 0x100000000ull) {
    throw InputError("randint(0, " + std::to_string(n) +
                     "): a resample needs between 1 and 2^32 samples");
  }
  bounded_fill(engine_, 0, n - 1, out, count,
               [](std::uint64_t v) { return static_cast<std::uint32_t>(v); });
}

}  // namespace rrg::stats
