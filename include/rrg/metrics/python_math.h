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

// numpy_sum of the virtual array value(0), ..., value(count - 1), computed without storing it
// (a randomization trial sums a mix of two systems' values). The one implementation of NumPy's
// order: numpy_sum calls it.
template <typename Value>
double numpy_sum_by(std::size_t count, const Value& value);

// np.mean over a 1-D contiguous float64 array: numpy_sum / count (NaN for an empty array, as
// NumPy returns, with a warning, for np.mean([])).
double numpy_mean(const double* values, std::size_t count);
inline double numpy_mean(const std::vector<double>& values) {
  return numpy_mean(values.data(), values.size());
}

// np.std(values) (ddof=0): the mean by np.add.reduce / n, squared deviations multiplied (not
// pow), summed the same way, divided by n, square root; NaN for an empty array.
double numpy_std(const std::vector<double>& values);

namespace detail {

// NumPy's pairwise_sum (numpy/core/src/umath/loops_utils.h.src) over value(first ...).
template <typename Value>
double pairwise_sum_by(const Value& value, std::size_t first, std::size_t n) {
  constexpr std::size_t kBlock = 128;  // PW_BLOCKSIZE
  if (n < 8) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += value(first + i);
    return sum;
  }
  if (n <= kBlock) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = value(first + j);
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (std::size_t j = 0; j < 8; ++j) r[j] += value(first + i + j);
    }
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += value(first + i);
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return pairwise_sum_by(value, first, half) + pairwise_sum_by(value, first + half, n - half);
}

}  // namespace detail

template <typename Value>
double numpy_sum_by(std::size_t count, const Value& value) {
  // The reduction starts from the identity 0.0 and adds the pairwise sum of each buffer-sized
  // chunk (NPY_BUFSIZE = 8192 elements) in turn; verified against NumPy 1.24 on arrays of up to
  // 10^6 elements (tests/metrics/python_math_test.cpp compares with NumPy at test time).
  constexpr std::size_t kChunk = 8192;
  double sum = 0.0;
  for (std::size_t start = 0; start < count; start += kChunk) {
    const std::size_t n = count - start < kChunk ? count - start : kChunk;
    sum += detail::pairwise_sum_by(value, start, n);
  }
  return sum;
}

}  // namespace rrg::metrics
