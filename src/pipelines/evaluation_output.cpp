// Writers for evaluation results (see evaluation_output.h).
#include "rrg/pipelines/evaluation_output.h"

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

std::string fixed4(double value) {
  if (std::isnan(value)) return "N/A";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

// Shortest text that reads back as the same double (17 significant digits at most).
std::string full_precision(double value) {
  if (std::isnan(value)) return "";
  char buffer[64];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

ordered_json inputs_json(const EvaluationInputs& inputs) {
  ordered_json j;
  j["predictions"] = {{"path", inputs.predictions_path},
                      {"format", inputs.predictions_format},
                      {"records", inputs.predictions_records}};
  j["references"] = {{"path", inputs.references_path},
                     {"format", inputs.references_format},
                     {"records", inputs.references_records}};
  j["paired_by"] = inputs.paired_by;
  j["missing_policy"] = inputs.missing_policy;
  j["missing_predictions"] = inputs.missing_predictions;
  j["missing_references"] = inputs.missing_references;
  j["coco_clean"] = inputs.coco_clean;
  j["seed_clean"] = inputs.seed_clean;
  if (!inputs.command_line.empty()) j["command"] = inputs.command_line;
  return j;
}

}  // namespace

std::string format_table(const EvaluationResult& result, const EvaluationInputs& inputs) {
  std::string out;
  out += "rrg evaluate: " + std::to_string(result.n_samples) + " samples (" +
         std::to_string(result.n_valid) + " with a non-empty prediction), paired by " +
         inputs.paired_by + "\n";
  std::size_t width = 6;
  for (const auto& m : result.metrics) width = std::max(width, m.name.size());
  const auto pad = [](std::string s, std::size_t w) {
    s.resize(std::max(s.size(), w), ' ');
    return s;
  };
  out += "\n" + pad("Family", 8) + pad("Metric", width + 2) + "Value\n";
  std::string last_family;
  for (const auto& m : result.metrics) {
    const bool first_of_family = m.family != last_family;
    out +=
        pad(first_of_family ? m.family : "", 8) + pad(m.name, width + 2) + fixed4(m.corpus) + "\n";
    last_family = m.family;
  }
  out += "\nSignatures:\n";
  for (const auto& m : result.metrics) out += "  " + m.signature.format() + "\n";
  return out;
}

std::string evaluation_json(const EvaluationResult& result, const EvaluationInputs& inputs) {
  ordered_json doc;
  ordered_json corpus = ordered_json::object();
  ordered_json signatures = ordered_json::object();
  ordered_json fields = ordered_json::object();
  for (const auto& m : result.metrics) {
    corpus[m.name] = m.corpus;
    signatures[m.name] = m.signature.format();
    ordered_json f = ordered_json::object();
    f["family"] = m.family;
    for (const auto& [key, value] : m.signature.fields()) f[key] = value;
    f["version"] = rrg::version();
    fields[m.name] = f;
  }
  ordered_json per_sample = ordered_json::object();
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    ordered_json row = ordered_json::object();
    for (const auto& m : result.metrics) row[m.name] = m.per_sample[i];
    per_sample[result.ids[i]] = std::move(row);
  }
  ordered_json timings = ordered_json::object();
  for (const auto& [stage, seconds] : result.timings_seconds) timings[stage] = seconds;

  doc["corpus"] = std::move(corpus);
  doc["per_sample"] = std::move(per_sample);
  doc["signatures"] = std::move(signatures);
  doc["signature_fields"] = std::move(fields);
  doc["n_samples"] = result.n_samples;
  doc["n_valid"] = result.n_valid;
  doc["timings_seconds"] = std::move(timings);
  doc["inputs"] = inputs_json(inputs);
  doc["rrg"] = {{"version", rrg::version()}, {"revision", rrg::git_revision()}};
  return doc.dump(2) + "\n";
}

std::string per_sample_csv(const EvaluationResult& result) {
  std::string out;
  std::vector<std::string> header{"id"};
  for (const auto& m : result.metrics) header.push_back(m.name);
  io::append_csv_row(header, out);
  std::vector<std::string> row;
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    row.clear();
    row.push_back(result.ids[i]);
    for (const auto& m : result.metrics) row.push_back(full_precision(m.per_sample[i]));
    io::append_csv_row(row, out);
  }
  return out;
}

std::vector<std::string> write_out_dir(const EvaluationResult& result,
                                       const EvaluationInputs& inputs, const std::string& dir,
                                       const std::string& prefix) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir + ": cannot create output directory (" + ec.message() + ")");
  const std::string base = dir + "/" + prefix;
  const std::vector<std::string> paths = {base + "_metrics.json", base + "_per_sample.csv",
                                          base + "_metrics.xlsx"};
  io::write_file_atomically(paths[0], evaluation_json(result, inputs));
  io::write_file_atomically(paths[1], per_sample_csv(result));

  io::XlsxSheet summary;
  summary.name = "summary";
  summary.header = {"Family", "Metric", "Value", "Signature"};
  summary.column_widths = {10, 14, 12, 90};
  for (const auto& m : result.metrics) {
    summary.rows.push_back(
        {m.family, m.name, std::isnan(m.corpus) ? io::XlsxCell{} : m.corpus, m.signature.format()});
  }
  io::XlsxSheet run;
  run.name = "run info";
  run.header = {"Key", "Value"};
  run.column_widths = {24, 90};
  const auto add = [&](const std::string& key, io::XlsxCell value) {
    run.rows.push_back({key, std::move(value)});
  };
  add("rrg version", std::string(rrg::version()));
  add("rrg revision", std::string(rrg::git_revision()));
  add("predictions", inputs.predictions_path + " (" + inputs.predictions_format + ")");
  add("references", inputs.references_path + " (" + inputs.references_format + ")");
  add("paired by", inputs.paired_by);
  add("missing policy", inputs.missing_policy);
  add("samples", static_cast<double>(result.n_samples));
  add("valid predictions", static_cast<double>(result.n_valid));
  add("missing predictions", static_cast<double>(inputs.missing_predictions));
  add("missing references", static_cast<double>(inputs.missing_references));
  add("coco clean", inputs.coco_clean);
  add("seed clean", std::string(inputs.seed_clean ? "yes" : "no"));
  if (!inputs.command_line.empty()) add("command", inputs.command_line);
  io::write_xlsx(paths[2], {summary, run});
  return paths;
}

}  // namespace rrg::pipelines
