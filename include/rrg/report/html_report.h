// One self-contained HTML file from ReportData: inline CSS, SVG charts and a little plain
// JavaScript (sorting and filtering the per-sample table); no network access, no CDN, opens
// from disk. A Content-Security-Policy in the page forbids every request and every script but
// its own (by hash), so even a text that escaped escaping could not run.
//
// Sections: run (inputs, command, version), summary (every corpus value with its signature;
// interval and p-value columns when a system has them), clinical (per-observation F1, reference
// vs prediction prevalence, TP/FN/FP), distributions (a histogram per per-sample metric), worst
// samples per metric, and the per-sample table (prediction and reference side by side, matching
// words highlighted, label disagreements coloured; sortable by any column, filterable by id or
// observation). Every user-supplied text is HTML-escaped; the JSON block the script reads is
// escaped for <script>. The output depends only on the data (no clock), so it is testable.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/report/report_data.h"

namespace rrg::report {

struct HtmlReportOptions {
  std::size_t worst_n = 20;  // samples per worst-samples list (0 = no such section)
  // Rows of the per-sample table; more samples show the first this many (the charts and worst
  // lists still use all). 0 = every sample.
  std::size_t max_table_rows = 5000;
  // Per-sample metrics shown as table columns (names); empty = all. Lets a many-system report
  // stay narrow.
  std::vector<std::string> table_metrics;
};

// Receives the page piece by piece (a file, a socket, a string).
using HtmlSink = std::function<void(std::string_view)>;

// Throws std::invalid_argument when `data` is inconsistent (check_report_data).
void write_html_report(const ReportData& data, const HtmlReportOptions& options,
                       const HtmlSink& sink);
std::string html_report(const ReportData& data, const HtmlReportOptions& options = {});

}  // namespace rrg::report
