// Histograms as generated SVG for rrg's HTML reports, with automatic binning:
//   - integer data over a short range (counts such as n_disagree): one bin per integer;
//   - data within [0, 1] (BLEU, ROUGE, METEOR, F1...): 20 bins of 0.05 on [0, 1], so
//     histograms of different metrics and systems line up;
//   - anything else: Sturges' number of bins (clamped to 5..40) rounded to a nice width, edges
//     at its multiples.
// Bins are [edge_i, edge_i+1) except the last, which also holds its upper edge. NaN and
// infinite values are not binned (counted as `n_missing`). Several series share one set of
// bins and are drawn side by side within each bin (e.g. one per system).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rrg::report {

struct HistogramBins {
  std::vector<double> edges;  // ascending, counts-per-series + 1 of them; empty = no data
  bool integer_bins = false;  // one bin per integer k, edges at k - 0.5 and k + 0.5
};

// Bins for all the finite values of `series` together.
HistogramBins choose_bins(const std::vector<const std::vector<double>*>& series);
HistogramBins choose_bins(const std::vector<double>& values);

// How many finite values fall into each bin of `edges` (see the rule above); values outside
// [edges.front(), edges.back()] are not counted.
std::vector<std::size_t> count_in_bins(const std::vector<double>& values,
                                       const std::vector<double>& edges);

struct HistogramSeries {
  std::string name;            // legend entry ("" with a single series)
  std::vector<double> values;  // samples; NaN = missing
  std::string color;           // "" = palette colour of its index
};

struct Histogram {
  std::string id;  // prefix of element ids; unique within a page
  std::string title;
  std::string description;  // "" = generated: sample count, missing values
  std::vector<HistogramSeries> series;
  std::string value_label;              // x axis title, e.g. the metric name
  std::string count_label = "samples";  // y axis title
  double width = 320;
  double height = 200;
};

// Each bin of each series is a <rect class="bar"> with a tooltip "[0.10, 0.15): 12 (4.0%)";
// empty bins are drawn too (zero height) so every series has as many bars as there are bins.
std::string render_histogram(const Histogram& histogram);

}  // namespace rrg::report
