// np.percentile(values, q) with NumPy's default method ("linear"), bit for bit (NumPy 1.22+,
// numpy/lib/function_base.py _quantile / _lerp).
//
// NumPy computes q / 100, the virtual index (n - 1) * (q / 100), its floor i and fraction g, and
// interpolates between the order statistics v[i] and v[i + 1] as
//   g < 0.5 ? v[i] + (v[i+1] - v[i]) * g : v[i+1] - (v[i+1] - v[i]) * (1 - g),
// taking the largest value when the index reaches n - 1. Any NaN among the values gives NaN.
#pragma once

#include <cstddef>
#include <vector>

namespace rrg::stats {

// `values` is taken by value: it is partially sorted. Throws std::invalid_argument when empty
// or when q is outside [0, 100].
double numpy_percentile(std::vector<double> values, double q);

// Both ends of the central `ci` percent interval: np.percentile(values, [(100 - ci) / 2,
// 100 - (100 - ci) / 2]).
struct PercentileInterval {
  double low;
  double high;
};
PercentileInterval numpy_percentile_interval(std::vector<double> values, double ci);

}  // namespace rrg::stats
