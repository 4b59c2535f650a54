// The HTML report of `rrg compare` (rrg/report/html_report.h): a CompareResult, with the texts,
// per-sample values and labels compare() kept (CompareOptions::keep_report_inputs), turned into
// report::ReportData with one system per --sys, the baseline first, and each corpus value's
// bootstrap interval, difference interval and approximate-randomization p-value.
#pragma once

#include <string>
#include <vector>

#include "rrg/pipelines/compare.h"
#include "rrg/report/html_report.h"
#include "rrg/report/report_data.h"

namespace rrg::pipelines {

// Throws std::invalid_argument when `result` has no report_inputs (compare() was not asked to
// keep them). `alpha` marks significant p-values, as in the table.
report::ReportData compare_report_data(const CompareResult& result, double alpha);

// The per-sample table's columns (report::HtmlReportOptions::table_metrics) of a comparison:
// `requested` names checked against the per-sample metrics of `data` (rrg::InputError naming an
// unknown one); empty = the default, BLEU-4, ROUGE-L, METEOR, CIDEr, chexpert_example_f1_uzeros
// and n_disagree where computed (every per-sample metric when none of these is); {"all"} = every
// per-sample metric. A column per system and metric would make a many-system table unreadable.
std::vector<std::string> compare_table_metrics(const report::ReportData& data,
                                               const std::vector<std::string>& requested);

// compare_report_data() rendered to `sink`.
void write_compare_report(const CompareResult& result, double alpha,
                          const report::HtmlReportOptions& options, const report::HtmlSink& sink);

}  // namespace rrg::pipelines
