// Nice axis steps, ticks and number formatting (see chart_axis.h).
#include "rrg/report/chart_axis.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace rrg::report {
namespace {

double power_of_ten(int exponent) {
  double p = 1.0;
  for (int i = 0; i < exponent; ++i) p *= 10.0;  // exact up to 1e22
  return p;
}

// Relative slack for "is lo/step an integer" tests, so 0.3 / 0.1 = 2.9999999999999996 counts as 3.
constexpr double kSlack = 1e-9;

}  // namespace

double NiceStep::multiple(long long k) const {
  const double scaled = static_cast<double>(k * mantissa);
  return exponent >= 0 ? scaled * power_of_ten(exponent) : scaled / power_of_ten(-exponent);
}

NiceStep nice_step(double raw) {
  if (!(raw > 0.0) || !std::isfinite(raw)) {
    throw std::invalid_argument("nice_step: the raw step must be positive and finite");
  }
  int exponent = static_cast<int>(std::floor(std::log10(raw)));
  // The candidates of one decade, as (mantissa, exponent offset): 1, 2, 2.5, 5, 10.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const NiceStep candidates[] = {
        {1, exponent}, {2, exponent}, {25, exponent - 1}, {5, exponent}, {1, exponent + 1}};
    for (const NiceStep& step : candidates) {
      if (step.value() >= raw * (1 - kSlack)) return step;
    }
    ++exponent;  // log10 rounded down past a decade boundary
  }
  return {1, exponent + 1};
}

NiceStep nearest_nice_step(double raw) {
  const NiceStep above = nice_step(raw);  // validates raw
  const int decade = static_cast<int>(std::floor(std::log10(raw)));
  NiceStep best = above;
  double best_distance = std::abs(std::log(above.value() / raw));
  for (int e = decade - 1; e <= decade + 1; ++e) {
    for (const NiceStep& candidate :
         {NiceStep{1, e}, NiceStep{2, e}, NiceStep{25, e - 1}, NiceStep{5, e}}) {
      const double distance = std::abs(std::log(candidate.value() / raw));
      if (distance < best_distance ||
          (distance == best_distance && candidate.value() > best.value())) {
        best = candidate;
        best_distance = distance;
      }
    }
  }
  return best;
}

Axis nice_axis(double lo, double hi, int target_ticks, bool extend) {
  if (lo > hi) std::swap(lo, hi);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  Axis axis;
  axis.step = nice_step((hi - lo) / std::max(1, target_ticks));
  const double s = axis.step.value();
  const auto first = static_cast<long long>(std::ceil(lo / s - kSlack));
  const auto last = static_cast<long long>(std::floor(hi / s + kSlack));
  if (extend) {
    const auto low = static_cast<long long>(std::floor(lo / s + kSlack));
    const auto high = static_cast<long long>(std::ceil(hi / s - kSlack));
    axis.min = axis.step.multiple(low);
    axis.max = axis.step.multiple(high);
    for (long long k = low; k <= high; ++k) axis.ticks.push_back(axis.step.multiple(k));
  } else {
    axis.min = lo;
    axis.max = hi;
    for (long long k = first; k <= last; ++k) axis.ticks.push_back(axis.step.multiple(k));
  }
  return axis;
}

Axis count_axis(double hi, int target_ticks) {
  hi = std::max(1.0, hi);
  NiceStep step = nice_step(hi / std::max(1, target_ticks));
  if (step.value() < 1) step = {1, 0};
  if (step.mantissa == 25 && step.exponent == -1) step = {2, 0};  // 2.5 -> 2
  const auto intervals = static_cast<long long>(std::ceil(hi / step.value() - kSlack));
  Axis axis;
  axis.step = step;
  axis.min = 0;
  axis.max = step.multiple(intervals);
  for (long long k = 0; k <= intervals; ++k) axis.ticks.push_back(step.multiple(k));
  return axis;
}

std::string format_fixed(double value, int decimals) {
  if (std::isnan(value)) return "N/A";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  std::string text(buffer, result.ptr);
  // "-0.00" -> "0.00": a rounded-away sign means nothing on a chart or in a table.
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

}  // namespace rrg::report
