// SVG bar charts (see bar_chart.h).
#include "rrg/report/bar_chart.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "rrg/report/chart_axis.h"
#include "rrg/report/html_escape.h"
#include "svg_writer.h"

namespace rrg::report {
namespace {

constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

void check(const BarChart& chart) {
  for (const auto& s : chart.series) {
    if (s.values.size() != chart.categories.size()) {
      throw std::invalid_argument("bar chart " + chart.id + ": series \"" + s.name + "\" has " +
                                  std::to_string(s.values.size()) + " values for " +
                                  std::to_string(chart.categories.size()) + " categories");
    }
    if (!s.intervals.empty() && s.intervals.size() != chart.categories.size()) {
      throw std::invalid_argument("bar chart " + chart.id + ": series \"" + s.name +
                                  "\" has intervals, but not one per category");
    }
  }
}

std::string series_color(const BarChart& chart, std::size_t s) {
  return chart.series[s].color.empty() ? palette_color(s) : chart.series[s].color;
}

bool stacked(const BarChart& chart) {
  return chart.layout == BarLayout::kStacked;
}

// The value axis: the data's extent (values, interval ends, stack totals) and the fixed ends.
Axis value_axis(const BarChart& chart, int target_ticks) {
  double lo = 0.0;
  double hi = 0.0;
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    double total = 0.0;
    for (const auto& s : chart.series) {
      const double v = s.values[c];
      if (std::isfinite(v)) {
        total += std::max(0.0, v);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      if (!s.intervals.empty() && s.intervals[c]) {
        lo = std::min(lo, s.intervals[c]->low);
        hi = std::max(hi, s.intervals[c]->high);
      }
    }
    if (stacked(chart)) hi = std::max(hi, total);
  }
  if (chart.value_min) lo = *chart.value_min;
  if (chart.value_max) hi = *chart.value_max;
  const bool fixed = chart.value_min.has_value() && chart.value_max.has_value();
  // Whole numbers (value_digits 0, e.g. counts) get whole-number ticks.
  if (!fixed && chart.value_digits == 0 && lo >= 0) return count_axis(hi, target_ticks);
  return nice_axis(lo, hi, target_ticks, !fixed);
}

// One data rectangle in value space: [v0, v1] of category c, at `offset` .. `offset + thickness`
// within the category band.
struct Bar {
  std::size_t category = 0;
  std::size_t series = 0;
  double v0 = 0.0;
  double v1 = 0.0;
  double offset = 0.0;
  double thickness = 0.0;
};

std::string tooltip(const BarChart& chart, const Bar& bar) {
  const BarSeries& s = chart.series[bar.series];
  std::string text = chart.categories[bar.category];
  if (!s.name.empty()) text += ", " + s.name;
  const double v = s.values[bar.category];
  text += ": " + format_fixed(v, chart.value_digits);
  if (!s.intervals.empty() && s.intervals[bar.category]) {
    const Interval& in = *s.intervals[bar.category];
    text += " [" + format_fixed(in.low, chart.value_digits) + ", " +
            format_fixed(in.high, chart.value_digits) + "]";
  }
  return text;
}

// The geometry shared by both orientations: bands along one axis, values along the other.
struct Layout {
  double band = 0.0;        // px per category
  double band_start = 0.0;  // px where the first band starts
  Axis axis;
  double value_start = 0.0;  // px of axis.min
  double value_end = 0.0;    // px of axis.max
  double px(double v) const {
    const double t = (std::clamp(v, axis.min, axis.max) - axis.min) / (axis.max - axis.min);
    return value_start + t * (value_end - value_start);
  }
};

std::vector<Bar> bars_of(const BarChart& chart, double band) {
  std::vector<Bar> bars;
  const std::size_t k = chart.series.size();
  if (k == 0) return bars;
  const double thickness =
      stacked(chart) || k == 1 ? std::min(18.0, band * 0.7) : std::min(14.0, (band - 6) / k);
  const double group = stacked(chart) ? thickness : thickness * k;
  const double first = (band - group) / 2;
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    double base = 0.0;
    for (std::size_t s = 0; s < k; ++s) {
      const double v = chart.series[s].values[c];
      Bar bar{c, s, 0.0, v, first + (stacked(chart) ? 0.0 : s * thickness), thickness - 1};
      if (stacked(chart)) {
        bar.v0 = base;
        bar.v1 = base + (std::isfinite(v) ? std::max(0.0, v) : 0.0);
        base = bar.v1;
      }
      bars.push_back(bar);
    }
  }
  return bars;
}

std::vector<svg::LegendEntry> legend_entries(const BarChart& chart) {
  std::vector<svg::LegendEntry> entries;
  if (chart.series.size() < 2) return entries;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    entries.push_back({chart.series[s].name, series_color(chart, s)});
  }
  return entries;
}

void draw_bar(std::string& out, const BarChart& chart, const Layout& layout, const Bar& bar,
              bool horizontal) {
  const BarSeries& s = chart.series[bar.series];
  const double band_px = layout.band_start + bar.category * layout.band + bar.offset;
  const double value = s.values[bar.category];
  if (!std::isfinite(value)) {
    const double at = layout.px(0.0);
    if (horizontal) {
      svg::text(out, at + 4, band_px + bar.thickness / 2 + 4, "N/A", "na");
    } else {
      svg::text(out, band_px + bar.thickness / 2, at - 4, "N/A", "na", "middle");
    }
    return;
  }
  const double a = layout.px(bar.v0);
  const double b = layout.px(bar.v1);
  const double lo = std::min(a, b);
  const double length = std::abs(b - a);
  out += "<rect class=\"bar\" x=\"" + svg::coord(horizontal ? lo : band_px) + "\" y=\"" +
         svg::coord(horizontal ? band_px : lo) + "\" width=\"" +
         svg::coord(horizontal ? length : bar.thickness) + "\" height=\"" +
         svg::coord(horizontal ? bar.thickness : length) + "\" fill=\"";
  append_escaped_html(series_color(chart, bar.series), out);
  out += "\"><title>";
  append_escaped_html(tooltip(chart, bar), out);
  out += "</title></rect>";

  const double mid = band_px + bar.thickness / 2;
  double end = bar.v1;
  if (!s.intervals.empty() && s.intervals[bar.category]) {
    const Interval& in = *s.intervals[bar.category];
    const double p = layout.px(in.low);
    const double q = layout.px(in.high);
    const double cap = std::min(4.0, bar.thickness / 2);
    std::string d;
    if (horizontal) {
      d = "M" + svg::coord(p) + " " + svg::coord(mid) + "H" + svg::coord(q) + "M" + svg::coord(p) +
          " " + svg::coord(mid - cap) + "V" + svg::coord(mid + cap) + "M" + svg::coord(q) + " " +
          svg::coord(mid - cap) + "V" + svg::coord(mid + cap);
    } else {
      d = "M" + svg::coord(mid) + " " + svg::coord(p) + "V" + svg::coord(q) + "M" +
          svg::coord(mid - cap) + " " + svg::coord(p) + "H" + svg::coord(mid + cap) + "M" +
          svg::coord(mid - cap) + " " + svg::coord(q) + "H" + svg::coord(mid + cap);
    }
    out += "<path class=\"interval\" d=\"" + d + "\" stroke=\"#222\" fill=\"none\"/>";
    end = std::max(end, in.high);
  }
  const bool last_of_stack = !stacked(chart) || bar.series + 1 == chart.series.size();
  if (chart.show_values && last_of_stack) {
    const std::string label = format_fixed(stacked(chart) ? bar.v1 : value, chart.value_digits);
    const double at = layout.px(end);
    if (horizontal) {
      svg::text(out, at + 4, mid + 4, label, "value");
    } else {
      svg::text(out, mid, at - 4, label, "value", "middle");
    }
  }
}

std::string render_horizontal(const BarChart& chart) {
  const std::size_t n = chart.categories.size();
  const std::size_t k = std::max<std::size_t>(1, chart.series.size());
  double label_width = 0;
  for (const auto& c : chart.categories) label_width = std::max(label_width, svg::text_width(c));
  const double left = std::min(label_width + 12, std::round(chart.width * 0.42));
  const double right = chart.show_values ? 14 + 6.6 * (chart.value_digits + 3) : 16;
  const std::vector<svg::LegendEntry> entries = legend_entries(chart);
  const double top = 8 + svg::legend_height(entries, chart.width - 16);
  const double band = stacked(chart) || k == 1 ? 24.0 : std::max(24.0, 12.0 * k + 8);
  const double plot_height = band * n;
  const double bottom = 24 + (chart.value_label.empty() ? 0 : 16);
  const double height = top + plot_height + bottom;

  Layout layout;
  layout.band = band;
  layout.band_start = top;
  layout.axis = value_axis(chart, std::max(2, static_cast<int>((chart.width - left) / 90)));
  layout.value_start = left;
  layout.value_end = chart.width - right;

  std::string out;
  svg::open(out, chart.id, chart.width, height, chart.title, chart.description);
  svg::legend(out, entries, 8, 6, chart.width - 16);
  const int decimals = layout.axis.step.decimals();
  for (const double t : layout.axis.ticks) {
    const double x = layout.px(t);
    out += "<line class=\"grid\" x1=\"" + svg::coord(x) + "\" x2=\"" + svg::coord(x) + "\" y1=\"" +
           svg::coord(top) + "\" y2=\"" + svg::coord(top + plot_height) + "\" stroke=\"#ddd\"/>";
    svg::text(out, x, top + plot_height + 15, format_fixed(t, decimals), "tick", "middle");
  }
  out += "<path class=\"axis\" d=\"M" + svg::coord(left) + " " + svg::coord(top + plot_height) +
         "H" + svg::coord(layout.value_end) + "M" + svg::coord(layout.px(0.0)) + " " +
         svg::coord(top) + "V" + svg::coord(top + plot_height) +
         "\" stroke=\"#444\" fill=\"none\"/>";
  if (!chart.value_label.empty()) {
    svg::text(out, (left + layout.value_end) / 2, height - 6, chart.value_label, "axis-label",
              "middle");
  }
  for (std::size_t c = 0; c < n; ++c) {
    const double y = top + c * band + band / 2 + 4;
    out += "<g class=\"category\">";
    svg::text(out, left - 6, y, svg::fit_text(chart.categories[c], left - 10), "", "end");
    out += "</g>";
  }
  for (const Bar& bar : bars_of(chart, band)) draw_bar(out, chart, layout, bar, true);
  svg::close(out);
  return out;
}

std::string render_vertical(const BarChart& chart) {
  const std::size_t n = std::max<std::size_t>(1, chart.categories.size());
  const std::vector<svg::LegendEntry> entries = legend_entries(chart);
  const double top = 8 + svg::legend_height(entries, chart.width - 16) + 14;
  const double left = 48 + (chart.value_label.empty() ? 0 : 16);
  const double right = 8;
  const double band = (chart.width - left - right) / n;
  double label_width = 0;
  for (const auto& c : chart.categories) label_width = std::max(label_width, svg::text_width(c));
  const bool rotate = label_width > band - 4;
  const double label_room = rotate ? std::min(label_width, 160.0) * 0.6 + 14 : 18;
  const double bottom = label_room + 8;
  const double plot_height = std::max(60.0, chart.height - top - bottom);
  const double height = top + plot_height + bottom;

  Layout layout;
  layout.band = band;
  layout.band_start = left;
  layout.axis = value_axis(chart, std::max(2, static_cast<int>(plot_height / 50)));
  layout.value_start = top + plot_height;
  layout.value_end = top;

  std::string out;
  svg::open(out, chart.id, chart.width, height, chart.title, chart.description);
  svg::legend(out, entries, 8, 6, chart.width - 16);
  const int decimals = layout.axis.step.decimals();
  for (const double t : layout.axis.ticks) {
    const double y = layout.px(t);
    out += "<line class=\"grid\" x1=\"" + svg::coord(left) + "\" x2=\"" +
           svg::coord(chart.width - right) + "\" y1=\"" + svg::coord(y) + "\" y2=\"" +
           svg::coord(y) + "\" stroke=\"#ddd\"/>";
    svg::text(out, left - 6, y + 4, format_fixed(t, decimals), "tick", "end");
  }
  out += "<path class=\"axis\" d=\"M" + svg::coord(left) + " " + svg::coord(top) + "V" +
         svg::coord(top + plot_height) + "M" + svg::coord(left) + " " + svg::coord(layout.px(0.0)) +
         "H" + svg::coord(chart.width - right) + "\" stroke=\"#444\" fill=\"none\"/>";
  if (!chart.value_label.empty()) {
    const double y = top + plot_height / 2;
    svg::text(out, 14, y, chart.value_label, "axis-label", "middle",
              "rotate(-90 14 " + svg::coord(y) + ")");
  }
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double x = left + c * band + band / 2;
    const double y = top + plot_height + 16;
    out += "<g class=\"category\">";
    if (rotate) {
      svg::text(out, x, y, svg::fit_text(chart.categories[c], 160), "", "end",
                "rotate(-35 " + svg::coord(x) + " " + svg::coord(y) + ")");
    } else {
      svg::text(out, x, y, chart.categories[c], "", "middle");
    }
    out += "</g>";
  }
  for (const Bar& bar : bars_of(chart, band)) draw_bar(out, chart, layout, bar, false);
  svg::close(out);
  return out;
}

}  // namespace

const char* palette_color(std::size_t index) {
  return kPalette[index % (sizeof kPalette / sizeof kPalette[0])];
}

std::string render_bar_chart(const BarChart& chart) {
  check(chart);
  return chart.orientation == Orientation::kHorizontal ? render_horizontal(chart)
                                                       : render_vertical(chart);
}

}  // namespace rrg::report
