// The comparison pipeline behind `rrg compare`: several systems scored against one reference set
// with the metrics of `rrg evaluate` (same reading, pairing, cleaning, metrics and labeler), and
// for every metric with a corpus value
//   - the corpus value of each system, exactly as `rrg evaluate` gives it on that system alone;
//   - a paired approximate randomization test against the baseline, RadEval's PairedTest draw
//     for draw (rrg/stats/approximate_randomization.h);
//   - paired bootstrap percentile intervals of each value and of each difference to the baseline,
//     reproducible with NumPy's RandomState (rrg/stats/paired_bootstrap.h).
// Both tests recompute the corpus metric of a trial or a replicate from the per-sample statistics
// the scorers computed once (rrg/metrics/scorer.h), never from text.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rrg/io/pairing.h"
#include "rrg/io/report_file.h"
#include "rrg/metrics/signature.h"
#include "rrg/pipelines/evaluate.h"
#include "rrg/report/report_data.h"
#include "rrg/stats/approximate_randomization.h"
#include "rrg/stats/paired_bootstrap.h"

namespace rrg::pipelines {

struct CompareSystemInput {
  std::string name;  // e.g. "baseline", unique
  std::string path;
  io::ReportFormat format = io::ReportFormat::kAuto;
};

struct CompareOptions {
  std::string references;
  io::ReportFormat references_format = io::ReportFormat::kAuto;
  std::vector<CompareSystemInput> systems;  // at least two
  std::string baseline;                     // a system's name; "" = the first
  // kError: every system must have exactly the references' ids; kSkip: score the ids that every
  // system and the references share (kEmpty is not offered: a missing output would be scored).
  io::MissingPolicy missing = io::MissingPolicy::kError;
  EvaluateOptions scoring;
  // Keys to test; empty = every selected key with a corpus value except the per-observation
  // diagnostics of the original toolkit's table (AUC, recall, specificity, N_pos, N_neg of each
  // observation, chexpert_table_n_valid), which stay available by name.
  std::size_t ar_trials = 10000;
  std::uint64_t seed = 12345;
  stats::PValueConvention p_value = stats::PValueConvention::kRadEval;
  std::size_t bootstrap = 1000;  // replicates; 0 = no intervals
  double ci = 95.0;
  unsigned threads = 0;  // 0 = every core
  std::string command_line;
  // Keep what an HTML report shows besides the corpus numbers (CompareResult::report_inputs):
  // texts, per-sample values and labels of every system. Off by default, so a comparison
  // without a report holds no copy of the texts.
  bool keep_report_inputs = false;
  // One-sentence notes (ids dropped by --missing skip).
  std::function<void(const std::string&)> on_message;
  // Progress of the tests (trials and replicates done, total) and a cancellation flag.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

struct Interval {
  double low = 0;
  double high = 0;
};

struct CompareCell {
  double value = 0;               // NaN = N/A
  std::optional<double> p_value;  // none for the baseline (and without a test)
  std::optional<Interval> ci;
  std::optional<Interval> diff_ci;  // of system - baseline; none for the baseline
};

struct CompareMetric {
  std::string name;
  std::string family;
  metrics::Signature signature;  // the baseline's (the same for every system)
  bool tested = false;           // AR and bootstrap ran for it
};

struct CompareInputFile {
  std::string path;
  std::string format;
  std::size_t records = 0;
};

// What compare_report.h needs beyond the numbers of CompareResult: the texts, per-sample values
// and labels, kept by compare() when CompareOptions::keep_report_inputs is set.
struct CompareReportInputs {
  std::vector<std::string> ids;                      // the compared ids, in the baseline's order
  std::vector<std::string> references;               // the first reference of each id
  std::vector<chexpert::LabelRow> reference_labels;  // one per id; empty without a labeler
  std::vector<report::ReportMetric> metrics;         // every metric, per-sample ones included
  std::vector<report::SystemReport> systems;         // input order; corpus values, no intervals
};

struct CompareResult {
  std::vector<std::string> systems;  // in input order
  std::size_t baseline = 0;
  std::vector<CompareMetric> metrics;
  std::vector<std::vector<CompareCell>> cells;  // cells[metric][system]
  std::size_t n_samples = 0;
  std::size_t dropped = 0;  // ids left out by --missing skip (in any file)
  CompareInputFile references;
  std::vector<CompareInputFile> inputs;  // one per system
  std::string labeler_identity;          // "" without clinical metrics
  std::string labeler_note;
  std::string ar_signature;         // "ar:10000|seed:12345|pvalue:radeval"
  std::string bootstrap_signature;  // "" when not bootstrapped
  std::size_t ar_trials = 0;
  std::size_t bootstrap = 0;
  double ci = 0;
  std::uint64_t seed = 0;
  std::string missing_policy;
  std::string coco_clean;
  bool seed_clean = true;
  std::string command_line;
  std::vector<std::pair<std::string, double>> timings_seconds;
  std::optional<CompareReportInputs> report_inputs;  // with CompareOptions::keep_report_inputs
};

// Checks everything that does not need the files (two systems or more, unique names, a known
// baseline, trials > 0, ci in (0, 100), a seed NumPy accepts); throws rrg::InputError.
void check_compare_options(const CompareOptions& options);

// Reads, pairs, scores and tests. Throws rrg::InputError for bad input (naming the file, the ids
// and their counts) and stats::Cancelled when cancelled.
CompareResult compare(const CompareOptions& options);

}  // namespace rrg::pipelines
