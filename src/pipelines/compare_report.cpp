// CompareResult -> report::ReportData (see compare_report.h).
#include "rrg/pipelines/compare_report.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "rrg/core/errors.h"
#include "rrg/text/suggest.h"

namespace rrg::pipelines {
namespace {

std::string input_text(const CompareInputFile& file) {
  return file.path + " (" + file.format + ", " + std::to_string(file.records) + " records)";
}

std::string percent(double ci) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", ci);
  return buffer;
}

std::optional<report::Interval> to_report(const std::optional<Interval>& in) {
  if (!in) return std::nullopt;
  return report::Interval{in->low, in->high};
}

}  // namespace

report::ReportData compare_report_data(const CompareResult& result, double alpha) {
  if (!result.report_inputs) {
    throw std::invalid_argument(
        "compare_report_data: the comparison kept no report inputs (set "
        "CompareOptions::keep_report_inputs)");
  }
  const CompareReportInputs& kept = *result.report_inputs;
  report::ReportData data;
  const std::string& baseline = result.systems[result.baseline];
  data.title = "rrg compare: ";
  for (std::size_t s = 0; s < result.systems.size(); ++s) {
    data.title += (s == 0 ? "" : " vs ") + result.systems[s];
  }
  const auto add = [&data](std::string key, std::string value) {
    data.run_info.emplace_back(std::move(key), std::move(value));
  };
  add("references", input_text(result.references));
  add("samples", std::to_string(result.n_samples) + " compared (the ids every file holds)" +
                     (result.dropped > 0 ? ", " + std::to_string(result.dropped) +
                                               " records left out by --missing skip"
                                         : ""));
  add("systems", std::to_string(result.systems.size()) + "; baseline " + baseline);
  add("missing ids", "--missing " + result.missing_policy);
  add("cleaning", "coco family: " + result.coco_clean + "; seed and clinical families: " +
                      (result.seed_clean ? "seed clean_report" : "none"));
  if (!result.labeler_identity.empty()) add("labeler", result.labeler_identity);
  data.command_line = result.command_line;
  data.ids = kept.ids;
  data.references = kept.references;
  data.reference_labels = kept.reference_labels;
  data.metrics = kept.metrics;

  std::unordered_map<std::string, std::size_t> compared;  // metric name -> row of result.cells
  for (std::size_t m = 0; m < result.metrics.size(); ++m)
    compared.emplace(result.metrics[m].name, m);
  // The baseline first (the report tests every other system against systems[0]).
  std::vector<std::size_t> order{result.baseline};
  for (std::size_t s = 0; s < result.systems.size(); ++s) {
    if (s != result.baseline) order.push_back(s);
  }
  for (const std::size_t s : order) {
    report::SystemReport system = kept.systems.at(s);
    system.source = input_text(result.inputs.at(s));
    for (std::size_t m = 0; m < data.metrics.size(); ++m) {
      const auto found = compared.find(data.metrics[m].name);
      if (found == compared.end()) continue;
      const CompareCell& cell = result.cells[found->second][s];
      report::Estimate& e = system.corpus.at(m);
      e.value = cell.value;
      e.interval = to_report(cell.ci);
      e.difference_interval = to_report(cell.diff_ci);
      e.p_value = cell.p_value;
    }
    data.systems.push_back(std::move(system));
  }

  data.method_signatures.emplace_back("p: paired approximate randomization against " + baseline,
                                      result.ar_signature);
  if (!result.bootstrap_signature.empty()) {
    data.method_signatures.emplace_back(
        "CI: " + percent(result.ci) +
            "% paired bootstrap percentile interval (\xCE\x94 CI: of "
            "the difference to " +
            baseline + ")",
        result.bootstrap_signature);
  }
  data.alpha = alpha;
  return data;
}

std::vector<std::string> compare_table_metrics(const report::ReportData& data,
                                               const std::vector<std::string>& requested) {
  std::vector<std::string> per_sample;
  for (std::size_t m = 0; m < data.metrics.size(); ++m) {
    for (const report::SystemReport& s : data.systems) {
      if (!s.per_sample.at(m).empty()) {
        per_sample.push_back(data.metrics[m].name);
        break;
      }
    }
  }
  const auto has = [&per_sample](const std::string& name) {
    return std::find(per_sample.begin(), per_sample.end(), name) != per_sample.end();
  };
  if (requested.size() == 1 && requested.front() == "all") return per_sample;
  if (!requested.empty()) {
    for (const std::string& name : requested) {
      if (!has(name)) {
        std::string list;
        for (const auto& n : per_sample) list += (list.empty() ? "" : ", ") + n;
        throw InputError("--html-columns: '" + name + "' is not a per-sample metric of this run" +
                         text::did_you_mean(name, per_sample) +
                         " (per-sample metrics: " + (list.empty() ? "none" : list) + ")");
      }
    }
    return requested;
  }
  std::vector<std::string> chosen;
  for (const char* name :
       {"BLEU-4", "ROUGE-L", "METEOR", "CIDEr", "chexpert_example_f1_uzeros", "n_disagree"}) {
    if (has(name)) chosen.emplace_back(name);
  }
  return chosen.empty() ? per_sample : chosen;
}

void write_compare_report(const CompareResult& result, double alpha,
                          const report::HtmlReportOptions& options, const report::HtmlSink& sink) {
  report::write_html_report(compare_report_data(result, alpha), options, sink);
}

}  // namespace rrg::pipelines
