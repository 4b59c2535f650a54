// Histogram binning and SVG rendering (see histogram.h).
#include "rrg/report/histogram.h"

#include <algorithm>
#include <cmath>

#include "rrg/report/bar_chart.h"
#include "rrg/report/chart_axis.h"
#include "rrg/report/html_escape.h"
#include "svg_writer.h"

namespace rrg::report {
namespace {

constexpr double kMaxIntegerRange = 40;  // integer data spanning more gets ordinary bins
constexpr int kUnitBins = 20;            // bins of [0, 1] data

struct Extent {
  std::size_t n = 0;
  double min = 0.0;
  double max = 0.0;
  bool all_integers = true;
};

Extent extent_of(const std::vector<const std::vector<double>*>& series) {
  Extent e;
  for (const auto* values : series) {
    for (const double v : *values) {
      if (!std::isfinite(v)) continue;
      e.min = e.n == 0 ? v : std::min(e.min, v);
      e.max = e.n == 0 ? v : std::max(e.max, v);
      e.all_integers = e.all_integers && v == std::floor(v);
      ++e.n;
    }
  }
  return e;
}

// Decimals that print the bin edges exactly enough to tell bins apart.
int edge_decimals(const HistogramBins& bins) {
  if (bins.integer_bins || bins.edges.size() < 2) return 0;
  const double width = bins.edges[1] - bins.edges[0];
  return nice_step(width * (1 - 1e-9)).decimals();
}

std::string bin_label(const HistogramBins& bins, std::size_t b) {
  if (bins.integer_bins) return format_fixed(bins.edges[b] + 0.5, 0);
  const int d = edge_decimals(bins);
  const bool last = b + 2 == bins.edges.size();
  return "[" + format_fixed(bins.edges[b], d) + ", " + format_fixed(bins.edges[b + 1], d) +
         (last ? "]" : ")");
}

// Ticks of the x axis: integers (step >= 1) for integer bins, nice multiples otherwise.
std::vector<double> x_ticks(const HistogramBins& bins, int target, int& decimals) {
  const double lo = bins.edges.front();
  const double hi = bins.edges.back();
  if (!bins.integer_bins) {
    const Axis axis = nice_axis(lo, hi, target, false);
    decimals = axis.step.decimals();
    return axis.ticks;
  }
  decimals = 0;
  const double first = lo + 0.5;
  const double last = hi - 0.5;
  const double step = std::max(1.0, nice_step(std::max(1.0, last - first) / target).value());
  std::vector<double> ticks;
  for (double t = std::ceil(first / step) * step; t <= last + 1e-9; t += step) ticks.push_back(t);
  return ticks;
}

}  // namespace

HistogramBins choose_bins(const std::vector<const std::vector<double>*>& series) {
  HistogramBins bins;
  const Extent e = extent_of(series);
  if (e.n == 0) return bins;
  if (e.all_integers && e.max - e.min <= kMaxIntegerRange) {
    bins.integer_bins = true;
    for (double k = e.min; k <= e.max + 1; k += 1) bins.edges.push_back(k - 0.5);
    return bins;
  }
  if (e.min >= 0.0 && e.max <= 1.0) {
    for (int k = 0; k <= kUnitBins; ++k) bins.edges.push_back(static_cast<double>(k) / kUnitBins);
    return bins;
  }
  if (e.min == e.max) {
    bins.edges = {e.min - 0.5, e.min + 0.5};
    return bins;
  }
  const int sturges = static_cast<int>(std::ceil(std::log2(static_cast<double>(e.n)))) + 1;
  const NiceStep step = nearest_nice_step((e.max - e.min) / std::clamp(sturges, 5, 40));
  const auto first = static_cast<long long>(std::floor(e.min / step.value()));
  auto last = static_cast<long long>(std::ceil(e.max / step.value()));
  if (last == first) ++last;
  // Rounding of min / step can leave min or max just outside: widen by one bin then.
  long long lo = first;
  while (step.multiple(lo) > e.min) --lo;
  long long hi = last;
  while (step.multiple(hi) < e.max) ++hi;
  for (long long k = lo; k <= hi; ++k) bins.edges.push_back(step.multiple(k));
  return bins;
}

HistogramBins choose_bins(const std::vector<double>& values) {
  return choose_bins(std::vector<const std::vector<double>*>{&values});
}

std::vector<std::size_t> count_in_bins(const std::vector<double>& values,
                                       const std::vector<double>& edges) {
  if (edges.size() < 2) return {};
  std::vector<std::size_t> counts(edges.size() - 1, 0);
  for (const double v : values) {
    if (!std::isfinite(v) || v < edges.front() || v > edges.back()) continue;
    auto bin =
        static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin()) -
        1;
    if (bin >= counts.size()) bin = counts.size() - 1;  // the last edge belongs to the last bin
    ++counts[bin];
  }
  return counts;
}

std::string render_histogram(const Histogram& h) {
  std::vector<const std::vector<double>*> all;
  for (const auto& s : h.series) all.push_back(&s.values);
  const HistogramBins bins = choose_bins(all);
  std::vector<std::vector<std::size_t>> counts;
  std::vector<std::size_t> finite(h.series.size(), 0);
  std::size_t max_count = 0;
  for (std::size_t s = 0; s < h.series.size(); ++s) {
    counts.push_back(count_in_bins(h.series[s].values, bins.edges));
    for (const std::size_t c : counts.back()) {
      finite[s] += c;
      max_count = std::max(max_count, c);
    }
  }

  std::string description = h.description;
  if (description.empty()) {
    for (std::size_t s = 0; s < h.series.size(); ++s) {
      if (!description.empty()) description += "; ";
      if (!h.series[s].name.empty()) description += h.series[s].name + ": ";
      description += std::to_string(finite[s]) + " values";
      const std::size_t missing = h.series[s].values.size() - finite[s];
      if (missing > 0) description += " (" + std::to_string(missing) + " N/A)";
    }
    if (!bins.edges.empty()) {
      description += bins.integer_bins
                         ? "; one bin per integer"
                         : "; " + std::to_string(bins.edges.size() - 1) + " bins from " +
                               format_fixed(bins.edges.front(), edge_decimals(bins)) + " to " +
                               format_fixed(bins.edges.back(), edge_decimals(bins));
    }
  }

  std::vector<svg::LegendEntry> entries;
  if (h.series.size() > 1) {
    for (std::size_t s = 0; s < h.series.size(); ++s) {
      entries.push_back(
          {h.series[s].name, h.series[s].color.empty() ? palette_color(s) : h.series[s].color});
    }
  }
  const double top = 10 + svg::legend_height(entries, h.width - 16);
  const double left = 40 + (h.count_label.empty() ? 0 : 14);
  const double right = 16;  // room for the last tick label
  const double bottom = 22 + (h.value_label.empty() ? 0 : 16);
  const double plot_w = h.width - left - right;
  const double plot_h = std::max(40.0, h.height - top - bottom);
  const double height = top + plot_h + bottom;

  std::string out;
  svg::open(out, h.id, h.width, height, h.title, description);
  svg::legend(out, entries, 8, 6, h.width - 16);
  const Axis y_axis = count_axis(static_cast<double>(max_count), std::max(2, int(plot_h / 40)));
  const std::vector<double>& y_ticks = y_axis.ticks;
  const auto y_px = [&](double v) { return top + plot_h - v / y_axis.max * plot_h; };
  for (const double t : y_ticks) {
    const double y = y_px(t);
    out += "<line class=\"grid\" x1=\"" + svg::coord(left) + "\" x2=\"" +
           svg::coord(left + plot_w) + "\" y1=\"" + svg::coord(y) + "\" y2=\"" + svg::coord(y) +
           "\" stroke=\"#ddd\"/>";
    svg::text(out, left - 5, y + 4, format_fixed(t, 0), "tick", "end");
  }
  if (!bins.edges.empty()) {
    const double lo = bins.edges.front();
    const double span = bins.edges.back() - lo;
    const auto x_px = [&](double v) { return left + (v - lo) / span * plot_w; };
    int decimals = 0;
    for (const double t : x_ticks(bins, std::max(2, int(plot_w / 60)), decimals)) {
      svg::text(out, x_px(t), top + plot_h + 15, format_fixed(t, decimals), "tick", "middle");
    }
    const std::size_t k = std::max<std::size_t>(1, h.series.size());
    for (std::size_t b = 0; b + 1 < bins.edges.size(); ++b) {
      const double x0 = x_px(bins.edges[b]);
      const double bar_w = (x_px(bins.edges[b + 1]) - x0 - 1) / k;
      for (std::size_t s = 0; s < h.series.size(); ++s) {
        const std::size_t c = counts[s][b];
        const double y = y_px(static_cast<double>(c));
        const double share = finite[s] == 0 ? 0.0 : 100.0 * c / finite[s];
        out += "<rect class=\"bar\" x=\"" + svg::coord(x0 + 0.5 + s * bar_w) + "\" y=\"" +
               svg::coord(y) + "\" width=\"" + svg::coord(std::max(0.5, bar_w)) + "\" height=\"" +
               svg::coord(top + plot_h - y) + "\" fill=\"";
        append_escaped_html(h.series[s].color.empty() ? palette_color(s) : h.series[s].color, out);
        out += "\"><title>";
        std::string tip = h.series[s].name.empty() ? "" : h.series[s].name + " ";
        tip += bin_label(bins, b) + ": " + std::to_string(c) + " (" + format_fixed(share, 1) + "%)";
        append_escaped_html(tip, out);
        out += "</title></rect>";
      }
    }
  } else {
    svg::text(out, left + plot_w / 2, top + plot_h / 2, "no values", "na", "middle");
  }
  out += "<path class=\"axis\" d=\"M" + svg::coord(left) + " " + svg::coord(top) + "V" +
         svg::coord(top + plot_h) + "H" + svg::coord(left + plot_w) +
         "\" stroke=\"#444\" fill=\"none\"/>";
  if (!h.value_label.empty()) {
    svg::text(out, left + plot_w / 2, height - 5, h.value_label, "axis-label", "middle");
  }
  if (!h.count_label.empty()) {
    const double y = top + plot_h / 2;
    svg::text(out, 12, y, h.count_label, "axis-label", "middle",
              "rotate(-90 12 " + svg::coord(y) + ")");
  }
  svg::close(out);
  return out;
}

}  // namespace rrg::report
