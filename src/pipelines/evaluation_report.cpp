// EvaluationResult -> report::ReportData (see evaluation_report.h).
#include "rrg/pipelines/evaluation_report.h"

#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <utility>

namespace rrg::pipelines {
namespace {

// Clinical keys worth a row of the summary table; the other 120-odd are under "all metrics".
const std::set<std::string>& headline_clinical_keys() {
  static const std::set<std::string> keys = {
      "chexpert_micro_f1_14_uzeros", "chexpert_macro_f1_14_uzeros", "chexpert_micro_f1_5_uzeros",
      "chexpert_macro_f1_5_uzeros",  "chexpert_micro_f1_14_uones",  "chexpert_macro_f1_14_uones",
      "chexpert_micro_f1_5_uones",   "chexpert_macro_f1_5_uones",   "chexpert_example_f1_uzeros",
      "chexbert_similarity"};
  return keys;
}

// "chexpert_example_precision_uzeros" -> "example precision (U0)": table headings stay short.
std::string short_label(const std::string& name) {
  const std::string prefix = "chexpert_example_";
  if (name.rfind(prefix, 0) != 0) return "";
  std::string rest = name.substr(prefix.size());
  const std::size_t cut = rest.rfind('_');
  if (cut == std::string::npos) return "";
  const std::string policy = rest.substr(cut + 1);
  return "example " + rest.substr(0, cut) +
         (policy == "uzeros"  ? " (U0)"
          : policy == "uones" ? " (U1)"
                              : " " + policy);
}

bool is_count(const std::string& name) {
  return name == "n_agree" || name == "n_disagree" || name == "chexpert_table_n_valid" ||
         name.rfind("chexpert_table_n_pos_", 0) == 0 || name.rfind("chexpert_table_n_neg_", 0) == 0;
}

report::ClinicalView clinical_view(const ClinicalDetails& details) {
  report::ClinicalView view;
  view.labeler = details.labeler_identity;
  view.note = details.labeler_note;
  for (std::size_t k = 0; k < chexpert::kNumObservations; ++k) {
    const metrics::ObservationRow& row = details.table.rows[k];
    report::ObservationSummary& o = view.observations[k];
    o.tp = row.counts.tp;
    o.fp = row.counts.fp;
    o.fn = row.counts.fn;
    o.tn = row.counts.tn;
    o.auc = row.auc;
    o.f1 = row.f1;
    o.recall = row.recall;
    o.specificity = row.specificity;
    o.valid = row.valid();
  }
  view.labels = details.predictions;
  view.errors = details.errors;
  view.n_excluded = details.n_excluded;
  return view;
}

std::string file_name(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  return name.empty() ? path : name;
}

}  // namespace

ReportTexts copy_report_texts(const io::PairedReports& paired) {
  ReportTexts texts;
  texts.predictions = paired.predictions;
  texts.references.reserve(paired.references.size());
  for (const auto& refs : paired.references) {
    texts.references.push_back(refs.empty() ? std::string() : refs.front());
  }
  texts.prediction_errors = paired.prediction_errors;
  return texts;
}

std::vector<report::ReportMetric> report_metrics(const EvaluationResult& result) {
  std::vector<report::ReportMetric> out;
  for (const MetricColumn& column : result.metrics) {
    report::ReportMetric m;
    m.name = column.name;
    m.label = short_label(column.name);
    m.family = column.family;
    m.signature = column.signature.format();
    m.has_corpus = column.has_corpus;
    // Every rrg score is better higher, except the count of label disagreements.
    m.higher_is_better = column.name != "n_disagree";
    m.summary = column.family != "clinical" || headline_clinical_keys().count(column.name) > 0;
    m.decimals = is_count(column.name) ? 0 : 4;
    out.push_back(std::move(m));
  }
  return out;
}

report::SystemReport system_report(const EvaluationResult& result, std::string name,
                                   std::string source, std::vector<std::string> predictions,
                                   std::vector<std::string> prediction_errors) {
  report::SystemReport s;
  s.name = std::move(name);
  s.source = std::move(source);
  for (const MetricColumn& column : result.metrics) {
    report::Estimate e;
    e.value = column.has_corpus ? column.corpus : std::numeric_limits<double>::quiet_NaN();
    s.corpus.push_back(e);
    s.per_sample.push_back(column.per_sample);
  }
  s.predictions = std::move(predictions);
  bool any_error = false;
  for (const auto& e : prediction_errors) any_error = any_error || !e.empty();
  if (any_error) s.errors = std::move(prediction_errors);
  if (result.clinical) s.clinical = clinical_view(*result.clinical);
  return s;
}

report::ReportData evaluation_report_data(const EvaluationResult& result,
                                          const EvaluationInputs& inputs, ReportTexts texts) {
  report::ReportData data;
  data.title = "rrg evaluate: " + file_name(inputs.predictions_path);
  const auto add = [&data](std::string key, std::string value) {
    data.run_info.emplace_back(std::move(key), std::move(value));
  };
  add("predictions", inputs.predictions_path + " (" + inputs.predictions_format + ", " +
                         std::to_string(inputs.predictions_records) + " records)");
  add("references", inputs.references_path + " (" + inputs.references_format + ", " +
                        std::to_string(inputs.references_records) + " records)");
  add("samples", std::to_string(result.n_samples) + " scored, " + std::to_string(result.n_valid) +
                     " with a non-empty prediction and no recorded error");
  add("paired by", inputs.paired_by);
  add("missing ids",
      "--missing " + inputs.missing_policy + ": " + std::to_string(inputs.missing_references) +
          " prediction id(s) without a reference, " + std::to_string(inputs.missing_predictions) +
          " reference id(s) without a prediction");
  add("cleaning", "coco family: " + inputs.coco_clean + "; seed and clinical families: " +
                      (inputs.seed_clean ? "seed clean_report" : "none"));
  if (result.clinical) {
    add("labeler", result.clinical->labeler_identity + " (" +
                       std::to_string(result.clinical->n_distinct_texts) +
                       " distinct texts labelled)");
  }
  data.command_line = inputs.command_line;
  data.ids = result.ids;
  data.references = std::move(texts.references);
  if (result.clinical) data.reference_labels = result.clinical->references;
  data.metrics = report_metrics(result);
  data.systems.push_back(system_report(result, "predictions", inputs.predictions_path,
                                       std::move(texts.predictions),
                                       std::move(texts.prediction_errors)));
  return data;
}

void write_evaluation_report(const EvaluationResult& result, const EvaluationInputs& inputs,
                             ReportTexts texts, const report::HtmlReportOptions& options,
                             const report::HtmlSink& sink) {
  report::write_html_report(evaluation_report_data(result, inputs, std::move(texts)), options,
                            sink);
}

}  // namespace rrg::pipelines
