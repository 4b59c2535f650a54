// Everything `rrg evaluate` writes: the stdout table, the --json document, and the --out-dir
// files (<prefix>_metrics.json, <prefix>_per_sample.csv, <prefix>_metrics.xlsx). Functions here
// return text or write files atomically; they never print.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/pipelines/evaluate.h"

namespace rrg::pipelines {

// Where the numbers came from, repeated in every output so a file explains itself.
struct EvaluationInputs {
  std::string predictions_path;
  std::string predictions_format;
  std::size_t predictions_records = 0;
  std::string references_path;
  std::string references_format;
  std::size_t references_records = 0;
  std::string paired_by;  // "id" or "position"
  std::string missing_policy;
  std::size_t missing_predictions = 0;
  std::size_t missing_references = 0;
  std::string coco_clean;
  bool seed_clean = true;
  std::string command_line;
};

// The readable table (values with 4 decimals, as the original toolkit prints them) followed by
// the signatures.
std::string format_table(const EvaluationResult& result, const EvaluationInputs& inputs);

// Receives a large output piece by piece (a file, stdout, a string), so a million-id result is
// never held twice in memory.
using TextSink = std::function<void(std::string_view)>;

// {"corpus", "per_sample", "signatures", "signature_fields", "n_samples", "n_valid",
//  "timings_seconds", "inputs", "clinical"?, "rrg"} with full-precision values.
void write_evaluation_json(const EvaluationResult& result, const EvaluationInputs& inputs,
                           const TextSink& sink);
std::string evaluation_json(const EvaluationResult& result, const EvaluationInputs& inputs);

// One row per id, one column per per-sample metric (full precision), then the clinical label
// columns when a labeler ran.
void write_per_sample_csv(const EvaluationResult& result, const TextSink& sink);
std::string per_sample_csv(const EvaluationResult& result);

// Writes <dir>/<prefix>_metrics.json, _per_sample.csv and _metrics.xlsx (summary sheet grouped
// by family + run-info sheet), each atomically. Creates `dir` when missing. Returns the paths.
std::vector<std::string> write_out_dir(const EvaluationResult& result,
                                       const EvaluationInputs& inputs, const std::string& dir,
                                       const std::string& prefix);

}  // namespace rrg::pipelines
