// Floating-point operations exactly as Python and NumPy perform them.
//
// Matching reference metrics to the last bit needs more than the same formula: the same libm
// calls and the same summation order. These helpers pin that down:
//  - python_pow: Python's `x ** y` / builtin pow() on floats (and NumPy's float64 scalar power)
//    call libm pow(). GCC would turn pow(x, 2.0) into x * x, which differs from glibc's pow in
//    about 1 of 1,000 cases, so the exponent is hidden from the optimiser.
//  - python_fsum: math.fsum, the correctly rounded sum (NLTK's BLEU geometric mean).
//  - numpy_sum / numpy_mean: np.add.reduce / np.mean of a contiguous float64 array, i.e.
//    NumPy's pairwise summation (8-way unrolled, blocks of 128) applied to consecutive chunks of
//    8192 elements (the iterator's buffer size), the chunk sums added left to right.
#pragma once

#include <cstddef>
#include <vector>

namespace rrg::metrics {

double python_pow(double base, double exponent);

// python_pow(x, 2.0), fast: returns x * x when that is provably what libm's pow returns and
// calls pow otherwise (see python_math.cpp). CIDEr squares every tf-idf weight.
double python_square(double x);

// Correctly rounded sum of `values` (CPython's math.fsum: Shewchuk's partials plus the final
// half-even correction). Non-finite inputs are not supported (the metrics never produce them).
double python_fsum(const double* values, std::size_t count);
inline double python_fsum(const std::vector<double>& values) {
  return python_fsum(values.data(), values.size());
}

// np.add.reduce over a 1-D contiguous float64 array.
double numpy_sum(const double* values, std::size_t count);

// np.mean over a 1-D contiguous float64 array: numpy_sum / count (NaN for an empty array, as
// NumPy returns, with a warning, for np.mean([])).
double numpy_mean(const double* values, std::size_t count);
inline double numpy_mean(const std::vector<double>& values) {
  return numpy_mean(values.data(), values.size());
}

}  // namespace rrg::metrics
