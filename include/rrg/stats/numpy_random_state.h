// NumPy's legacy `np.random.RandomState(seed)` for an integer seed and its `randint`, bit for
// bit (NumPy 1.17+ legacy path; checked against NumPy 1.24 at test time).
//
// Seeding (numpy/random/_mt19937.pyx, MT19937._legacy_seeding): an integer seed must lie in
// [0, 2^32 - 1] ("Seed must be between 0 and 2**32 - 1" otherwise) and seeds the generator with
// init_genrand (mt19937_seed), not init_by_array as CPython does.
//
// randint(low, high, size=n) with the default dtype (int64 on LP64 systems) draws with the
// masked rejection method the legacy path keeps for backward compatibility
// (numpy/random/_bounded_integers.pyx.in, distributions.c random_bounded_uint64_fill):
// rng = high - 1 - low; rng == 0 draws nothing; rng < 2^32 draws 32-bit outputs, keeps
// `output & mask` (mask = all ones up to rng's top bit) and rejects values above rng; larger
// ranges do the same with 64-bit draws (first output in the high half).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rrg/stats/mt19937.h"

namespace rrg::stats {

// The largest seed RandomState accepts.
inline constexpr std::uint64_t kNumpyMaxSeed = 0xFFFFFFFFull;

class NumpyRandomState {
 public:
  // Throws rrg::InputError for seeds above 2^32 - 1, as NumPy raises ValueError.
  explicit NumpyRandomState(std::uint64_t seed);
  // The seed written in decimal (negative and huge seeds are refused as NumPy does).
  static NumpyRandomState from_decimal(std::string_view seed);

  // randint(low, high, size=count) into `out`. Throws rrg::InputError when low >= high.
  void randint(std::int64_t low, std::int64_t high, std::int64_t* out, std::size_t count);

  // randint(0, n, size=count) as 32-bit indices (the bootstrap's resample, n in [1, 2^32]).
  void indices(std::uint64_t n, std::uint32_t* out, std::size_t count);

  const Mt19937& engine() const { return engine_; }

 private:
  Mt19937 engine_;
};

}  // namespace rrg::stats
