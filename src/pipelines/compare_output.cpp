// Writers for comparison results (see compare_output.h).
#include "rrg/pipelines/compare_output.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"
#include "rrg/core/version.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/csv.h"
#include "rrg/io/xlsx_writer.h"

namespace rrg::pipelines {
namespace {

using ordered_json = nlohmann::ordered_json;

std::string fixed(double value, int digits = 4) {
  if (std::isnan(value)) return "N/A";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

// p-values: 3 significant decimals, "<0.001" style avoided so the number stays exact enough.
std::string p_text(double p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", p);
  return buffer;
}

std::string full_precision(double value) {
  if (std::isnan(value) || std::isinf(value)) return "";
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  return std::string(buffer, end);
}

ordered_json number_or_null(double value) {
  return std::isnan(value) || std::isinf(value) ? ordered_json(nullptr) : ordered_json(value);
}

template <typename T>
ordered_json optional_json(const std::optional<T>& value) {
  return value ? number_or_null(*value) : ordered_json(nullptr);
}

// Systems in display order: the baseline first, then the others in input order.
std::vector<std::size_t> display_order(const CompareResult& result) {
  std::vector<std::size_t> order{result.baseline};
  for (std::size_t s = 0; s < result.systems.size(); ++s) {
    if (s != result.baseline) order.push_back(s);
  }
  return order;
}

std::string pad(std::string text, std::size_t width, bool right = false) {
  if (text.size() >= width) return text;
  return right ? std::string(width - text.size(), ' ') + text
               : text + std::string(width - text.size(), ' ');
}

// "0.1234 p=0.0123*" for a cell (the value alone for the baseline or untested metrics).
std::string value_text(const CompareCell& cell, double alpha) {
  std::string out = fixed(cell.value);
  if (cell.p_value) {
    out += " p=" + p_text(*cell.p_value) + (*cell.p_value < alpha ? "*" : " ");
  }
  return out;
}

std::string interval_text(const CompareCell& cell) {
  if (!cell.ci) return "";
  return "[" + fixed(cell.ci->low) + ", " + fixed(cell.ci->high) + "]";
}

std::string systems_as_rows(const CompareResult& result, const CompareTableOptions& options) {
  const std::vector<std::size_t> order = display_order(result);
  std::size_t name_width = 8;
  for (std::size_t s = 0; s < result.systems.size(); ++s) {
    name_width =
        std::max(name_width, result.systems[s].size() + (s == result.baseline ? 11 : 0) + 2);
  }
  const bool intervals = !result.bootstrap_signature.empty();
  // Column widths.
  std::vector<std::size_t> widths(result.metrics.size());
  for (std::size_t m = 0; m < result.metrics.size(); ++m) {
    std::size_t w = result.metrics[m].name.size();
    for (const std::size_t s : order) {
      w = std::max(w, value_text(result.cells[m][s], options.alpha).size());
      w = std::max(w, interval_text(result.cells[m][s]).size());
    }
    widths[m] = w + 2;
  }
  std::string out;
  std::size_t first = 0;
  while (first < result.metrics.size()) {
    std::size_t last = first, used = name_width;
    while (last < result.metrics.size() &&
           (last == first || used + widths[last] <= static_cast<std::size_t>(options.width))) {
      used += widths[last];
      ++last;
    }
    std::string line = pad("System", name_width);
    for (std::size_t m = first; m < last; ++m) line += pad(result.metrics[m].name, widths[m]);
    out += line + "\n";
    for (const std::size_t s : order) {
      line = pad(result.systems[s] + (s == result.baseline ? " (baseline)" : ""), name_width);
      for (std::size_t m = first; m < last; ++m) {
        line += pad(value_text(result.cells[m][s], options.alpha), widths[m]);
      }
      out += line + "\n";
      if (intervals) {
        line = pad("", name_width);
        for (std::size_t m = first; m < last; ++m) {
          line += pad(interval_text(result.cells[m][s]), widths[m]);
        }
        out += line + "\n";
      }
    }
    out += "\n";
    first = last;
  }
  return out;
}

std::string metrics_as_rows(const CompareResult& result, const CompareTableOptions& options) {
  const std::vector<std::size_t> order = display_order(result);
  std::size_t name_width = 8;
  for (const auto& metric : result.metrics)
    name_width = std::max(name_width, metric.name.size() + 2);
  std::vector<std::size_t> widths(result.systems.size());
  for (const std::size_t s : order) {
    std::size_t w = result.systems[s].size() + (s == result.baseline ? 11 : 0);
    for (std::size_t m = 0; m < result.metrics.size(); ++m) {
      const CompareCell& cell = result.cells[m][s];
      w = std::max(w, (value_text(cell, options.alpha) + " " + interval_text(cell)).size());
    }
    widths[s] = w + 2;
  }
  std::string line = pad("Metric", name_width);
  for (const std::size_t s : order) {
    line += pad(result.systems[s] + (s == result.baseline ? " (baseline)" : ""), widths[s]);
  }
  std::string out = line + "\n";
  for (std::size_t m = 0; m < result.metrics.size(); ++m) {
    line = pad(result.metrics[m].name, name_width);
    for (const std::size_t s : order) {
      const CompareCell& cell = result.cells[m][s];
      const std::string interval = interval_text(cell);
      line += pad(value_text(cell, options.alpha) + (interval.empty() ? "" : " " + interval),
                  widths[s]);
    }
    out += line + "\n";
  }
  return out + "\n";
}

}  // namespace

CompareLayout parse_compare_layout(const std::string& name) {
  if (name == "auto") return CompareLayout::kAuto;
  if (name == "systems-as-rows") return CompareLayout::kSystemsAsRows;
  if (name == "metrics-as-rows") return CompareLayout::kMetricsAsRows;
  throw InputError("unknown --layout '" + name +
                   "' (known: auto, systems-as-rows, metrics-as-rows)");
}

std::string format_compare_table(const CompareResult& result, const CompareTableOptions& options) {
  std::string out = "rrg compare: " + std::to_string(result.systems.size()) + " systems, " +
                    std::to_string(result.n_samples) + " samples";
  if (result.dropped > 0) {
    out += " (" + std::to_string(result.dropped) + " records left out by --missing skip)";
  }
  out += ", baseline " + result.systems[result.baseline] + "\n";
  out += "p: paired approximate randomization against the baseline (" + result.ar_signature +
         "); * p < " + fixed(options.alpha, 2);
  if (!result.bootstrap_signature.empty()) {
    out += "; [low, high]: " + fixed(result.ci, 0) + "% bootstrap interval (" +
           result.bootstrap_signature + ")";
  }
  out += "\n";
  if (!result.labeler_note.empty()) out += "Note: " + result.labeler_note + ".\n";
  out += "\n";
  CompareLayout layout = options.layout;
  if (layout == CompareLayout::kAuto) {
    layout =
        result.metrics.size() <= 8 ? CompareLayout::kSystemsAsRows : CompareLayout::kMetricsAsRows;
  }
  out += layout == CompareLayout::kSystemsAsRows ? systems_as_rows(result, options)
                                                 : metrics_as_rows(result, options);
  out += "Signatures:\n";
  bool clinical_shown = false;
  for (const auto& metric : result.metrics) {
    if (metric.family == "clinical") {
      if (clinical_shown) continue;
      clinical_shown = true;
      out += "  " + metric.signature.format() + "  (every chexpert_* key is signed in --json)\n";
      continue;
    }
    out += "  " + metric.signature.format() + "\n";
  }
  out += "  " + result.ar_signature + "\n";
  if (!result.bootstrap_signature.empty()) out += "  " + result.bootstrap_signature + "\n";
  return out;
}

std::string compare_json(const CompareResult& result) {
  ordered_json doc;
  doc["baseline"] = result.systems[result.baseline];
  ordered_json systems = ordered_json::object();
  for (const std::size_t s : display_order(result)) {
    ordered_json metrics = ordered_json::object();
    for (std::size_t m = 0; m < result.metrics.size(); ++m) {
      const CompareCell& cell = result.cells[m][s];
      ordered_json entry;
      entry["value"] = number_or_null(cell.value);
      entry["p_value"] = optional_json(cell.p_value);
      entry["ci_low"] = cell.ci ? number_or_null(cell.ci->low) : ordered_json(nullptr);
      entry["ci_high"] = cell.ci ? number_or_null(cell.ci->high) : ordered_json(nullptr);
      entry["diff_ci_low"] =
          cell.diff_ci ? number_or_null(cell.diff_ci->low) : ordered_json(nullptr);
      entry["diff_ci_high"] =
          cell.diff_ci ? number_or_null(cell.diff_ci->high) : ordered_json(nullptr);
      metrics[result.metrics[m].name] = std::move(entry);
    }
    systems[result.systems[s]] = std::move(metrics);
  }
  doc["systems"] = std::move(systems);
  ordered_json signatures = ordered_json::object();
  for (const auto& metric : result.metrics) {
    signatures[metric.name] = {
        {"metric", metric.signature.format()},
        {"ar", metric.tested ? ordered_json(result.ar_signature) : ordered_json(nullptr)},
        {"bootstrap", metric.tested && !result.bootstrap_signature.empty()
                          ? ordered_json(result.bootstrap_signature)
                          : ordered_json(nullptr)}};
  }
  doc["signatures"] = std::move(signatures);
  doc["n_samples"] = result.n_samples;
  doc["dropped"] = result.dropped;
  ordered_json inputs;
  inputs["references"] = {{"path", result.references.path},
                          {"format", result.references.format},
                          {"records", result.references.records}};
  ordered_json files = ordered_json::object();
  for (std::size_t s = 0; s < result.systems.size(); ++s) {
    files[result.systems[s]] = {{"path", result.inputs[s].path},
                                {"format", result.inputs[s].format},
                                {"records", result.inputs[s].records}};
  }
  inputs["systems"] = std::move(files);
  inputs["missing_policy"] = result.missing_policy;
  inputs["coco_clean"] = result.coco_clean;
  inputs["seed_clean"] = result.seed_clean;
  if (!result.command_line.empty()) inputs["command"] = result.command_line;
  doc["inputs"] = std::move(inputs);
  doc["seed"] = result.seed;
  doc["ar_trials"] = result.ar_trials;
  doc["bootstrap"] = result.bootstrap;
  doc["ci"] = result.ci;
  if (!result.labeler_identity.empty()) {
    doc["clinical"] = {{"labeler", result.labeler_identity}};
    if (!result.labeler_note.empty()) doc["clinical"]["note"] = result.labeler_note;
  }
  ordered_json timings = ordered_json::object();
  for (const auto& [stage, seconds] : result.timings_seconds) timings[stage] = seconds;
  doc["timings_seconds"] = std::move(timings);
  doc["rrg"] = {{"version", rrg::version()}, {"revision", rrg::git_revision()}};
  return doc.dump(1) + "\n";
}

std::string compare_csv(const CompareResult& result) {
  std::string out;
  io::append_csv_row(
      {"system", "metric", "value", "p_value", "ci_low", "ci_high", "diff_ci_low", "diff_ci_high"},
      out);
  for (const std::size_t s : display_order(result)) {
    for (std::size_t m = 0; m < result.metrics.size(); ++m) {
      const CompareCell& cell = result.cells[m][s];
      io::append_csv_row({result.systems[s], result.metrics[m].name, full_precision(cell.value),
                          cell.p_value ? full_precision(*cell.p_value) : "",
                          cell.ci ? full_precision(cell.ci->low) : "",
                          cell.ci ? full_precision(cell.ci->high) : "",
                          cell.diff_ci ? full_precision(cell.diff_ci->low) : "",
                          cell.diff_ci ? full_precision(cell.diff_ci->high) : ""},
                         out);
    }
  }
  return out;
}

std::vector<std::string> write_compare_out_dir(const CompareResult& result, const std::string& dir,
                                               double alpha) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw std::runtime_error(dir + ": cannot create the directory: " + error.message());
  const std::string json_path = dir + "/compare.json";
  const std::string csv_path = dir + "/compare.csv";
  const std::string xlsx_path = dir + "/compare.xlsx";
  io::write_file_atomically(json_path, compare_json(result));
  io::write_file_atomically(csv_path, compare_csv(result));

  io::XlsxSheet sheet;
  sheet.name = "compare";
  sheet.header = {"system"};
  for (const auto& metric : result.metrics) sheet.header.push_back(metric.name);
  sheet.column_widths.assign(sheet.header.size(), 14.0);
  sheet.column_widths[0] = 18.0;
  const std::vector<std::size_t> order = display_order(result);
  for (std::size_t row = 0; row < order.size(); ++row) {
    const std::size_t s = order[row];
    io::XlsxRow cells;
    cells.emplace_back(
        std::string(result.systems[s] + (s == result.baseline ? " (baseline)" : "")));
    for (std::size_t m = 0; m < result.metrics.size(); ++m) {
      const CompareCell& cell = result.cells[m][s];
      if (std::isnan(cell.value)) {
        cells.emplace_back();
      } else {
        cells.emplace_back(cell.value);
      }
      if (cell.p_value && *cell.p_value < alpha) sheet.highlighted.emplace_back(row, m + 1);
    }
    sheet.rows.push_back(std::move(cells));
  }
  // Below the values: p-values and intervals, one block each, same layout.
  const auto block = [&](const std::string& title, const auto& get) {
    sheet.rows.emplace_back();
    sheet.rows.emplace_back(1, io::XlsxCell(title));
    for (const std::size_t s : order) {
      io::XlsxRow cells;
      cells.emplace_back(result.systems[s]);
      for (std::size_t m = 0; m < result.metrics.size(); ++m) {
        const std::optional<double> value = get(result.cells[m][s]);
        if (value) {
          cells.emplace_back(*value);
        } else {
          cells.emplace_back();
        }
      }
      sheet.rows.push_back(std::move(cells));
    }
  };
  block("p-value (" + result.ar_signature + ")", [](const CompareCell& c) { return c.p_value; });
  if (!result.bootstrap_signature.empty()) {
    block("interval low (" + result.bootstrap_signature + ")", [](const CompareCell& c) {
      return c.ci ? std::optional<double>(c.ci->low) : std::nullopt;
    });
    block("interval high", [](const CompareCell& c) {
      return c.ci ? std::optional<double>(c.ci->high) : std::nullopt;
    });
  }
  io::write_xlsx(xlsx_path, {sheet});
  return {json_path, csv_path, xlsx_path};
}

}  // namespace rrg::pipelines
