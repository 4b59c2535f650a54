// The HTML report document: head (CSP, styles), run and summary sections, the data block and
// the script; the other sections come from html_charts.cpp and html_samples.cpp.
#include "rrg/report/html_report.h"

#include <cmath>

#include "html_sections.h"
#include "rrg/core/version.h"
#include "rrg/io/sha256.h"
#include "rrg/report/chart_axis.h"
#include "rrg/report/html_escape.h"
#include "rrg/report/report_assets.h"

namespace rrg::report {
namespace detail {

std::string cell_value(const ReportMetric& metric, double value) {
  return format_fixed(value, metric.decimals);
}

std::vector<std::size_t> per_sample_metrics(const ReportData& data) {
  std::vector<std::size_t> out;
  for (std::size_t m = 0; m < data.metrics.size(); ++m) {
    for (const SystemReport& s : data.systems) {
      if (!s.per_sample[m].empty()) {
        out.push_back(m);
        break;
      }
    }
  }
  return out;
}

bool has_clinical(const ReportData& data) {
  for (const SystemReport& s : data.systems) {
    if (s.clinical) return true;
  }
  return false;
}

}  // namespace detail

namespace {

using detail::Page;

std::string esc(std::string_view text) {
  return escape_html(text);
}

// base64 of the SHA-256 digest, the form a CSP 'sha256-...' source takes.
std::string sha256_base64(std::string_view text) {
  const std::string hex = io::sha256_hex(text);
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto b = [&](std::size_t k) {
      return k < bytes.size() ? static_cast<unsigned>(static_cast<unsigned char>(bytes[k])) : 0u;
    };
    const unsigned triple = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out.push_back(kAlphabet[(triple >> 18) & 63]);
    out.push_back(kAlphabet[(triple >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(triple >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[triple & 63] : '=');
  }
  return out;
}

bool any_interval(const ReportData& data) {
  for (const auto& s : data.systems) {
    for (const auto& e : s.corpus) {
      if (e.interval) return true;
    }
  }
  return false;
}

bool any_difference_interval(const ReportData& data) {
  for (const auto& s : data.systems) {
    for (const auto& e : s.corpus) {
      if (e.difference_interval) return true;
    }
  }
  return false;
}

bool any_p_value(const ReportData& data) {
  for (const auto& s : data.systems) {
    for (const auto& e : s.corpus) {
      if (e.p_value) return true;
    }
  }
  return false;
}

std::string interval_text(const ReportMetric& metric, const std::optional<Interval>& in) {
  if (!in) return "";
  return "[" + detail::cell_value(metric, in->low) + ", " + detail::cell_value(metric, in->high) +
         "]";
}

void write_head(Page& page) {
  const ReportData& d = page.data;
  std::string& o = page.out;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No request of any kind (the report opens from disk, offline), no script but ours.
  o += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "style-src 'unsafe-inline'; script-src 'sha256-" +
       sha256_base64(kReportJs) + "'; base-uri 'none'; form-action 'none'\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<meta name=\"generator\" content=\"rrg " + esc(rrg::version()) + "\">\n";
  o += "<title>" + esc(d.title) + "</title>\n<style>\n";
  o += kReportCss;
  // The headings above each text column of the per-sample table, one per system, then the
  // reference (CSS generated content: no bytes per row).
  std::size_t column = 1;
  for (const SystemReport& s : d.systems) {
    o += ".pair>div:nth-child(" + std::to_string(column++) + ")::before{content:\"" +
         escape_css_string(d.systems.size() == 1 ? "prediction" : s.name) + "\"}\n";
  }
  o += ".pair>div:nth-child(" + std::to_string(column) + ")::before{content:\"reference\"}\n";
  o += "</style>\n</head>\n<body>\n";
}

void write_header(Page& page) {
  const ReportData& d = page.data;
  std::string& o = page.out;
  o += "<header><h1>" + esc(d.title) + "</h1><p>" + std::to_string(d.ids.size()) + " samples";
  if (d.systems.size() > 1) o += ", " + std::to_string(d.systems.size()) + " systems";
  o += " &middot; rrg " + esc(rrg::version()) + "</p></header>\n<nav aria-label=\"sections\">";
  o += "<a href=\"#run\">Run</a><a href=\"#summary\">Summary</a>";
  if (detail::has_clinical(d)) o += "<a href=\"#clinical\">Clinical</a>";
  if (!detail::per_sample_metrics(d).empty()) {
    o += "<a href=\"#distributions\">Distributions</a>";
    if (page.options.worst_n > 0) o += "<a href=\"#worst\">Worst samples</a>";
  }
  o += "<a href=\"#samples\">Samples</a></nav>\n<main>\n";
}

void write_run_section(Page& page) {
  const ReportData& d = page.data;
  std::string& o = page.out;
  o += "<section id=\"run\"><h2>Run</h2>\n<table class=\"kv\">\n";
  for (const auto& [key, value] : d.run_info) {
    o += "<tr><th scope=\"row\">" + esc(key) + "</th><td>" + esc(value) + "</td></tr>\n";
  }
  for (const SystemReport& s : d.systems) {
    if (d.systems.size() > 1 && !s.source.empty()) {
      o += "<tr><th scope=\"row\">system " + esc(s.name) + "</th><td>" + esc(s.source) +
           "</td></tr>\n";
    }
  }
  o += "<tr><th scope=\"row\">rrg</th><td>" + esc(rrg::version()) + " (" +
       esc(rrg::git_revision()) + ")</td></tr>\n</table>\n";
  if (!d.command_line.empty()) {
    o += "<h3>Command</h3><pre>" + esc(d.command_line) + "</pre>\n";
  }
  for (const std::string& note : d.notes) o += "<p class=\"note\">" + esc(note) + "</p>\n";
  o += "</section>\n";
}

// One table of metrics: a row each, a value column per system (with interval, difference
// interval and p-value columns when some system has them), the signature last.
void write_metric_table(Page& page, const std::vector<std::size_t>& rows, const char* caption) {
  const ReportData& d = page.data;
  std::string& o = page.out;
  const bool intervals = any_interval(d);
  const bool differences = any_difference_interval(d);
  const bool p_values = any_p_value(d);
  const bool many = d.systems.size() > 1;
  o += "<table class=\"metrics\"><caption class=\"sig\">" + std::string(caption) +
       "</caption>\n<thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">Family</th>";
  for (std::size_t s = 0; s < d.systems.size(); ++s) {
    const std::string name =
        many ? esc(d.systems[s].name) + (s == 0 ? " (baseline)" : "") : "Value";
    o += "<th scope=\"col\" class=\"n\">" + name + "</th>";
    if (intervals) o += "<th scope=\"col\">CI</th>";
    if (s > 0 && differences) o += "<th scope=\"col\">&Delta; CI</th>";
    if (s > 0 && p_values) o += "<th scope=\"col\" class=\"n\">p</th>";
  }
  o += "<th scope=\"col\">Signature</th></tr></thead>\n<tbody>\n";
  for (const std::size_t m : rows) {
    const ReportMetric& metric = d.metrics[m];
    o += "<tr><th scope=\"row\">" + esc(metric.name) + "</th><td>" + esc(metric.family) + "</td>";
    for (std::size_t s = 0; s < d.systems.size(); ++s) {
      const Estimate& e = d.systems[s].corpus[m];
      const bool significant = s > 0 && e.p_value && d.alpha && *e.p_value < *d.alpha;
      o += "<td class=\"n" + std::string(significant ? " signif" : "") + "\">" +
           (metric.has_corpus ? detail::cell_value(metric, e.value) : "per sample") + "</td>";
      if (intervals) o += "<td class=\"ci\">" + interval_text(metric, e.interval) + "</td>";
      if (s > 0 && differences)
        o += "<td class=\"ci\">" + interval_text(metric, e.difference_interval) + "</td>";
      if (s > 0 && p_values) {
        o += "<td class=\"n" + std::string(significant ? " signif" : "") + "\">" +
             (e.p_value ? format_fixed(*e.p_value, 4) + (significant ? "*" : "") : "") + "</td>";
      }
    }
    o += "<td class=\"sig\">" + esc(metric.signature) + "</td></tr>\n";
    page.flush_if_large();
  }
  o += "</tbody></table>\n";
}

void write_summary_section(Page& page) {
  const ReportData& d = page.data;
  std::string& o = page.out;
  o += "<section id=\"summary\"><h2>Summary</h2>\n";
  std::vector<std::size_t> headline;
  std::vector<std::size_t> all;
  for (std::size_t m = 0; m < d.metrics.size(); ++m) {
    all.push_back(m);
    if (d.metrics[m].summary && d.metrics[m].has_corpus) headline.push_back(m);
  }
  if (!headline.empty()) {
    write_metric_table(page, headline, "Corpus values; every number with its signature");
  }
  if (!d.method_signatures.empty()) {
    o += "<table class=\"kv\"><caption class=\"sig\">Intervals and tests</caption>\n";
    for (const auto& [method, signature] : d.method_signatures) {
      o += "<tr><th scope=\"row\">" + esc(method) + "</th><td class=\"sig\">" + esc(signature) +
           "</td></tr>\n";
    }
    if (d.alpha) {
      o += "<tr><th scope=\"row\">significance</th><td>p &lt; " + format_fixed(*d.alpha, 3) +
           " marked *</td></tr>\n";
    }
    o += "</table>\n";
  }
  o += "<details><summary>All " + std::to_string(d.metrics.size()) +
       " metrics with their signatures</summary>\n";
  write_metric_table(page, all, "Every metric of this run");
  o += "</details>\n</section>\n";
}

}  // namespace

void write_html_report(const ReportData& data, const HtmlReportOptions& options,
                       const HtmlSink& sink) {
  check_report_data(data);
  Page page{data, options, sink, {}};
  write_head(page);
  write_header(page);
  write_run_section(page);
  write_summary_section(page);
  page.flush();
  if (detail::has_clinical(data)) detail::write_clinical_section(page);
  detail::write_distribution_section(page);
  page.flush();
  detail::write_worst_section(page);
  page.flush();
  detail::write_samples_section(page);
  page.out += "</main>\n";
  detail::write_data_block(page);
  page.out += "<script>";
  page.out += kReportJs;
  page.out += "</script>\n</body>\n</html>\n";
  page.flush();
}

std::string html_report(const ReportData& data, const HtmlReportOptions& options) {
  std::string out;
  write_html_report(data, options, [&out](std::string_view part) { out += part; });
  return out;
}

}  // namespace rrg::report
