// The two np.sum values of one approximate-randomization trial of a mean-based metric, fast.
//
// A trial swaps the samples whose bit is set between two systems: system one's randomized
// values are where(swap, b, a), system two's where(swap, a, b), and np.mean of each is what the
// test compares. numpy_sum_by (python_math.h) gives those sums in NumPy's order through a
// per-element callback; this computes both in one pass, eight values at a time with the
// selection done by bit masks instead of branches, so the compiler vectorises it. The additions
// are the same ones in the same order (each of NumPy's eight accumulators is one lane), so the
// results are bit-identical to numpy_sum_by on every CPU; tests/metrics/numpy_swapped_sums_test
// compares them on random data and masks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rrg::metrics {

struct SwappedSums {
  double first = 0.0;   // np.sum(where(swap, b, a))
  double second = 0.0;  // np.sum(where(swap, a, b))
};

// `swap` holds ceil(count / 64) words, bit i of word i / 64 for sample i. No NaN handling: the
// values are summed as they are (NaN propagates, as in NumPy).
SwappedSums numpy_swapped_sums(const double* a, const double* b, const std::uint64_t* swap,
                               std::size_t count);

namespace detail {
// The same without the AVX2 clone (for tests: both must agree bit for bit).
SwappedSums numpy_swapped_sums_portable(const double* a, const double* b, const std::uint64_t* swap,
                                        std::size_t count);
}  // namespace detail

}  // namespace rrg::metrics
