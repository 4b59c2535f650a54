// The sections of the HTML report (html_report.cpp assembles them). Internal to src/report.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rrg/report/html_report.h"

namespace rrg::report::detail {

// The page being written: sections append to `out`, which goes to the sink in large pieces.
struct Page {
  const ReportData& data;
  const HtmlReportOptions& options;
  const HtmlSink& sink;
  std::string out;

  void flush_if_large() {
    if (out.size() >= (1u << 20)) flush();
  }
  void flush() {
    if (!out.empty()) sink(out);
    out.clear();
  }
};

// A metric value for a table cell with the metric's decimals ("N/A" for NaN).
std::string cell_value(const ReportMetric& metric, double value);

// Indices of the metrics with per-sample values in any system, in report order.
std::vector<std::size_t> per_sample_metrics(const ReportData& data);

// Whether any system has clinical labels to show.
bool has_clinical(const ReportData& data);

void write_clinical_section(Page& page);
void write_distribution_section(Page& page);
void write_worst_section(Page& page);
void write_samples_section(Page& page);
// The <script type="application/json" id="rrg-data"> block the page's script reads.
void write_data_block(Page& page);

}  // namespace rrg::report::detail
