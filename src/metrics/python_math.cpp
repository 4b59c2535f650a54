// Python/NumPy floating-point semantics (see python_math.h).
#include "rrg/metrics/python_math.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

namespace rrg::metrics {

double python_pow(double base, double exponent) {
  // A volatile copy keeps the compiler from specialising pow() for constant exponents
  // (x * x for 2.0): Python always calls the library function.
  volatile double hidden = exponent;
  return std::pow(base, hidden);
}

double python_square(double x) {
  // x * x is the correctly rounded square and Dekker's product gives its exact rounding error, so
  // x^2 = hi + lo exactly with |lo| <= ulp(hi) / 2. glibc's pow is accurate to 0.54 ULP
  // (worst case stated in sysdeps/ieee754/dbl-64/e_pow.c), so it can return a double other than
  // hi only if that neighbour is within 0.54 ULP of x^2, i.e. only if |lo| >= 0.46 ulp(hi).
  // Below 0.4 ulp(hi), hi is exactly what pow returns. Everything else -- including zeros,
  // subnormals, infinities and powers of two, where the spacing of doubles changes -- goes to
  // pow itself. tests/metrics/python_math_test.cpp compares with pow on millions of inputs.
  const double hi = x * x;
  std::uint64_t bits;
  std::memcpy(&bits, &hi, sizeof bits);
  const std::uint64_t biased_exponent = (bits >> 52) & 0x7FF;
  const bool power_of_two = (bits & 0xFFFFFFFFFFFFFull) == 0;
  if (biased_exponent > 54 && biased_exponent < 0x7FF && !power_of_two) {
    // ulp(hi) = 2^(e - 1075) for biased exponent e; quarter = ulp(hi) / 4.
    const std::uint64_t quarter_bits = (biased_exponent - 54) << 52;
    double quarter;
    std::memcpy(&quarter, &quarter_bits, sizeof quarter);
    // Exact rounding error of x * x without an FMA instruction (Dekker's product; |x| is far
    // from overflow here because hi is finite and normal).
    const double split = 134217729.0 * x;  // 2^27 + 1
    const double x_high = split - (split - x);
    const double x_low = x - x_high;
    const double lo = ((x_high * x_high - hi) + 2.0 * x_high * x_low) + x_low * x_low;
    if (std::fabs(lo) < 1.6 * quarter) return hi;
  }
  return python_pow(x, 2.0);
}

double python_fsum(const double* values, std::size_t count) {
  // Shewchuk's algorithm as in CPython's math_fsum (Modules/mathmodule.c): keep a list of
  // non-overlapping partials whose exact sum is the exact running total.
  std::vector<double> partials;
  partials.reserve(8);
  for (std::size_t k = 0; k < count; ++k) {
    double x = values[k];
    std::size_t kept = 0;
    for (double y : partials) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0.0) partials[kept++] = lo;
      x = hi;
    }
    partials.resize(kept);
    if (x != 0.0) partials.push_back(x);
  }
  // Add the partials from the largest down while the sum stays exact, then correct a possible
  // half-way rounding using the sign of the next partial (so rounding is half-even overall).
  double hi = 0.0;
  std::size_t n = partials.size();
  if (n > 0) {
    hi = partials[--n];
    double lo = 0.0;
    while (n > 0) {
      const double x = hi;
      const double y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
      const double y = lo * 2.0;
      const double x = hi + y;
      if (y == x - hi) hi = x;
    }
  }
  return hi;
}

double numpy_sum(const double* values, std::size_t count) {
  return numpy_sum_by(count, [values](std::size_t i) { return values[i]; });
}

double numpy_mean(const double* values, std::size_t count) {
  if (count == 0) return std::numeric_limits<double>::quiet_NaN();
  return numpy_sum(values, count) / static_cast<double>(count);
}

double numpy_std(const std::vector<double>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double mean = numpy_mean(values);
  std::vector<double> squares(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double deviation = values[i] - mean;
    squares[i] = deviation * deviation;
  }
  return std::sqrt(numpy_sum(squares.data(), squares.size()) / static_cast<double>(values.size()));
}

}  // namespace rrg::metrics
