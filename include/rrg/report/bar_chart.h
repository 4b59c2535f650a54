// Bar charts as generated SVG for rrg's HTML reports: horizontal or vertical bars, one series or
// several (grouped side by side, e.g. one per system, or stacked, e.g. TP/FN/FP counts), with
// optional interval whiskers (confidence intervals). No JavaScript; the SVG depends only on the
// chart (fixed number formatting), so tests can compare it byte for byte.
//
// The SVG is an <svg role="img"> labelled by its <title> and <desc>. Every data rectangle has
// class "bar" and a <title> (the browser's tooltip, e.g. "Edema, system A: 0.512"); whiskers have
// class "interval", axes "axis", tick labels "tick", grid lines "grid", category labels
// "category", legend entries "legend".
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rrg::report {

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

struct BarSeries {
  std::string name;            // legend entry and tooltip prefix ("" with a single series)
  std::vector<double> values;  // one per category; NaN = no bar, labelled "N/A"
  std::vector<std::optional<Interval>> intervals;  // empty, or one per category
  std::string color;                               // CSS colour; "" = palette colour of its index
};

enum class Orientation { kHorizontal, kVertical };
enum class BarLayout { kGrouped, kStacked };

struct BarChart {
  std::string id;           // prefix of the chart's element ids; unique within a page
  std::string title;        // the accessible name (also the tooltip of the whole chart)
  std::string description;  // longer text for screen readers; "" = none
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  Orientation orientation = Orientation::kHorizontal;
  BarLayout layout = BarLayout::kGrouped;
  // Value axis range. Unset: from min(0, smallest value) to a nice number at or above the
  // largest value, interval end or stack total. Set both for a fixed range (e.g. 0..1).
  std::optional<double> value_min;
  std::optional<double> value_max;
  std::string value_label;  // the value axis's title ("" = none)
  int value_digits = 3;     // decimals of the values printed at the bars and in tooltips
  bool show_values = true;  // print each bar's value (stacked: the total) beside it
  double width = 640;       // px; the height follows from the number of bars
  double height = 260;      // px, vertical charts only
};

// Throws std::invalid_argument when a series has not one value (and interval) per category.
std::string render_bar_chart(const BarChart& chart);

// The palette colour of series `index` (colour-blind-safe, repeats after 10).
const char* palette_color(std::size_t index);

}  // namespace rrg::report
