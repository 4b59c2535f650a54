// Numbers on chart axes: "nice" steps (1, 2, 2.5 or 5 times a power of ten), axis ranges and
// ticks at their multiples, and locale-independent fixed-point formatting. Multiples are computed
// as one correctly rounded operation on integers (k * mantissa, then * or / a power of ten), so
// 0.15 is the same double as the literal 0.15 and bin edges compare predictably with data.
#pragma once

#include <string>
#include <vector>

namespace rrg::report {

struct NiceStep {
  long long mantissa = 1;  // 1, 2, 25 or 5
  int exponent = 0;        // step = mantissa * 10^exponent

  double value() const { return multiple(1); }
  // k * step, correctly rounded.
  double multiple(long long k) const;
  // Decimals that print every multiple exactly (0 for integer steps).
  int decimals() const { return exponent < 0 ? -exponent : 0; }
};

// The smallest nice step (1, 2, 2.5, 5 x 10^e) at least `raw` (> 0, finite).
NiceStep nice_step(double raw);

// The nice step closest to `raw` on a log scale (may be below it), e.g. a bin width that keeps
// about the intended number of bins. Ties go to the larger step.
NiceStep nearest_nice_step(double raw);

struct Axis {
  double min = 0.0;
  double max = 1.0;
  NiceStep step;
  std::vector<double> ticks;  // the multiples of step within [min, max]
};

// An axis covering [lo, hi] with about `target_ticks` intervals. With `extend`, min and max move
// outward to multiples of the step; without, they stay lo and hi (a fixed range such as 0..1).
// lo == hi gets a unit-wide range; lo > hi is swapped.
Axis nice_axis(double lo, double hi, int target_ticks = 5, bool extend = true);

// An axis for counts from 0 to at least `hi`: whole-number steps only (1, 2, 5, 10, 20, 25...),
// extended to a multiple of the step.
Axis count_axis(double hi, int target_ticks = 5);

// `value` with `decimals` digits after the point ("0.250"); "-0" prints as "0"; NaN "N/A".
std::string format_fixed(double value, int decimals);

}  // namespace rrg::report
