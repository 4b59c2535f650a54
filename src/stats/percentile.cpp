// np.percentile, linear method (see percentile.h).
#include "rrg/stats/percentile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace rrg::stats {
namespace {

// The percentile of `values` (no NaN among them), selecting the two order statistics it needs
// instead of sorting, as NumPy's partition does.
double interpolate(std::vector<double>& values, double q) {
  const std::size_t n = values.size();
  const double quantile = q / 100.0;  // np.true_divide(q, 100)
  const double virtual_index = static_cast<double>(n - 1) * quantile;
  double previous = std::floor(virtual_index);
  std::size_t below, above;
  if (virtual_index >= static_cast<double>(n - 1)) {
    below = above = n - 1;  // NumPy's index -1
    previous = -1.0;
  } else {
    below = static_cast<std::size_t>(previous);
    above = below + 1;
  }
  const double gamma = virtual_index - previous;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(below),
                   values.end());
  const double a = values[below];
  double b = a;
  if (above != below) {
    b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(above), values.end());
  }
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

}  // namespace

double numpy_percentile(std::vector<double> values, double q) {
  if (values.empty()) throw std::invalid_argument("numpy_percentile: no values");
  if (!(q >= 0.0 && q <= 100.0)) {
    throw std::invalid_argument("numpy_percentile: percentiles must be in the range [0, 100]");
  }
  for (double v : values) {
    if (std::isnan(v)) return std::numeric_limits<double>::quiet_NaN();
  }
  return interpolate(values, q);
}

PercentileInterval numpy_percentile_interval(std::vector<double> values, double ci) {
  const double tail = (100.0 - ci) / 2.0;
  PercentileInterval out;
  out.low = numpy_percentile(values, tail);
  out.high = numpy_percentile(std::move(values), 100.0 - tail);
  return out;
}

}  // namespace rrg::stats
