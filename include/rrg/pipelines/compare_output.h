// Writers for comparison results (compare.h): the table `rrg compare` prints, `--json`, and the
// `--out-dir` files (compare.json, compare.csv in long format, compare.xlsx).
#pragma once

#include <string>
#include <vector>

#include "rrg/pipelines/compare.h"
#include "rrg/pipelines/evaluation_output.h"

namespace rrg::pipelines {

enum class CompareLayout {
  kAuto,           // systems as rows while the metrics fit in a few column groups, else metrics
  kSystemsAsRows,  // one row per system, one column per metric (wrapped into column groups)
  kMetricsAsRows,  // one row per metric, one column per system
};

// "auto", "systems-as-rows", "metrics-as-rows"; throws rrg::InputError otherwise.
CompareLayout parse_compare_layout(const std::string& name);

struct CompareTableOptions {
  CompareLayout layout = CompareLayout::kAuto;
  double alpha = 0.05;  // p-values below it get a '*'
  int width = 100;      // characters per line for wrapping
};

// Values with 4 decimals, the p-value and its marker, the interval in brackets when
// bootstrapped; the baseline first; then every signature.
std::string format_compare_table(const CompareResult& result, const CompareTableOptions& options);

// {"baseline", "systems": {NAME: {METRIC: {"value", "p_value", "ci_low", "ci_high",
// "diff_ci_low", "diff_ci_high"}}}, "signatures", "n_samples", "inputs", "seed", ...}, full
// precision, null where a value is N/A or was not computed.
std::string compare_json(const CompareResult& result);

// Long format: system, metric, value, p_value, ci_low, ci_high, diff_ci_low, diff_ci_high.
std::string compare_csv(const CompareResult& result);

// compare.json, compare.csv and compare.xlsx (one sheet, systems x metrics, cells below
// `alpha` highlighted) in `dir`, each written atomically; returns the paths.
std::vector<std::string> write_compare_out_dir(const CompareResult& result, const std::string& dir,
                                               double alpha);

}  // namespace rrg::pipelines
