// What an HTML report shows, independent of where the numbers came from: `rrg evaluate` fills
// it with one system (pipelines/evaluation_report.h); `rrg compare` fills it with several
// systems, confidence intervals and p-values; `rrg serve` renders it for its report tab.
// Plain data: texts, numbers and labels, no metric objects. html_report.h renders it.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rrg/chexpert/observations.h"
#include "rrg/report/bar_chart.h"

namespace rrg::report {

// One corpus-level number of one system, with what a comparison adds.
struct Estimate {
  double value = std::numeric_limits<double>::quiet_NaN();  // NaN = N/A
  std::optional<Interval> interval;             // e.g. bootstrap percentile interval of value
  std::optional<Interval> difference_interval;  // of (this system - baseline), same resamples
  std::optional<double> p_value;                // paired test against the baseline
};

struct ReportMetric {
  std::string name;              // key, e.g. "BLEU-4"
  std::string label;             // shorter heading for table columns ("" = name)
  std::string family;            // "coco", "seed", "clinical", ...
  std::string signature;         // metrics::Signature::format()
  bool has_corpus = true;        // false: per-sample only (n_agree)
  bool higher_is_better = true;  // which end is "worst" in the worst-samples lists
  bool summary = true;           // a row of the summary table (every metric is in "all metrics")
  int decimals = 4;              // decimals printed in tables (0 for counts)
};

// The original toolkit's per-observation row (U-zeros) of one system.
struct ObservationSummary {
  std::size_t tp = 0, fp = 0, fn = 0, tn = 0;  // predictions against references
  std::optional<double> auc;                   // nullopt = N/A
  double f1 = 0.0;
  double recall = 0.0;
  double specificity = 0.0;
  bool valid = false;  // the references hold both classes (else N/A, out of the macro averages)

  std::size_t reference_positives() const { return tp + fn; }
  std::size_t prediction_positives() const { return tp + fp; }
};

struct ClinicalView {
  std::string labeler;  // identity, e.g. "rules@c4753825"
  std::string note;     // Labeler::note(), "" = none
  std::array<ObservationSummary, chexpert::kNumObservations> observations;
  std::vector<chexpert::LabelRow> labels;  // this system's raw labels, one row per sample
  std::vector<std::string> errors;         // "" or why a sample has no clinical values
  std::size_t n_excluded = 0;              // samples left out (a side could not be labelled)
};

struct SystemReport {
  std::string name;              // "predictions" for evaluate; --sys NAME for compare
  std::string source;            // its file, "" = unknown
  std::vector<Estimate> corpus;  // one per ReportData::metrics (NaN where !has_corpus)
  std::vector<std::vector<double>> per_sample;  // one per metric: a value per sample, or empty
  std::vector<std::string> predictions;         // one text per sample; empty = no texts shown
  std::vector<std::string> errors;              // "" or the producer's recorded error; empty = none
  std::optional<ClinicalView> clinical;
};

struct ReportData {
  std::string title = "rrg report";
  std::vector<std::pair<std::string, std::string>> run_info;  // header rows, in order
  std::string command_line;
  std::vector<std::string> ids;
  std::vector<std::string> references;  // first reference per sample; empty = no texts shown
  std::vector<chexpert::LabelRow> reference_labels;  // one per sample, or empty (no labeler)
  std::vector<ReportMetric> metrics;
  std::vector<SystemReport> systems;  // systems[0] is the baseline
  // How intervals and p-values were computed, shown with them, e.g.
  // {"paired approximate randomization", "ar:10000|seed:12345|pvalue:radeval"}.
  std::vector<std::pair<std::string, std::string>> method_signatures;
  std::optional<double> alpha;  // p-values below it are marked significant
  std::vector<std::string> notes;
};

// Throws std::invalid_argument naming the first inconsistency (a system without one Estimate
// per metric, per-sample values or texts or labels not one per id, no system).
void check_report_data(const ReportData& data);

// Index of the metric called `name`, or nullopt.
std::optional<std::size_t> find_metric(const ReportData& data, const std::string& name);

// The `n` worst samples of `values` (lowest when higher_is_better, else highest), NaN left out,
// ties in sample order. Indices into the samples.
std::vector<std::size_t> worst_samples(const std::vector<double>& values, bool higher_is_better,
                                       std::size_t n);

}  // namespace rrg::report
