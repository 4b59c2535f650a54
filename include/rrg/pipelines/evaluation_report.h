// The HTML report of `rrg evaluate` (rrg/report/html_report.h): an EvaluationResult turned into
// report::ReportData, with the texts it scored.
//
// evaluate() takes the paired texts over (no copy), so a caller that wants a report copies what
// the report shows first, with copy_report_texts(), and only then: users who do not ask for a
// report never hold the texts twice.
//
// rrg compare builds a many-system report from the same pieces: report_metrics() of the first
// result, system_report() per system (systems[0] = the baseline), then fills each
// report::Estimate's interval, difference_interval and p_value by metric index, and sets
// ReportData::method_signatures and alpha.
#pragma once

#include <string>
#include <vector>

#include "rrg/io/pairing.h"
#include "rrg/pipelines/evaluate.h"
#include "rrg/pipelines/evaluation_output.h"
#include "rrg/report/html_report.h"
#include "rrg/report/report_data.h"

namespace rrg::pipelines {

// What a report shows of the inputs, one entry per id in PairedReports order.
struct ReportTexts {
  std::vector<std::string> predictions;
  std::vector<std::string> references;  // the first reference of each id
  std::vector<std::string> prediction_errors;
};

// Copies the texts of `paired` (call it before evaluate() moves them away).
ReportTexts copy_report_texts(const io::PairedReports& paired);

// The metrics of `result` as report rows (name, family, signature, direction, decimals).
std::vector<report::ReportMetric> report_metrics(const EvaluationResult& result);

// One system: corpus values (no intervals), per-sample values, labels and the texts.
report::SystemReport system_report(const EvaluationResult& result, std::string name,
                                   std::string source, std::vector<std::string> predictions,
                                   std::vector<std::string> prediction_errors);

// The whole report of one `rrg evaluate` run.
report::ReportData evaluation_report_data(const EvaluationResult& result,
                                          const EvaluationInputs& inputs, ReportTexts texts);

// evaluation_report_data() rendered to `sink`.
void write_evaluation_report(const EvaluationResult& result, const EvaluationInputs& inputs,
                             ReportTexts texts, const report::HtmlReportOptions& options,
                             const report::HtmlSink& sink);

}  // namespace rrg::pipelines
