// Per-sample GREEN results and their corpus summary, with GREEN's conventions: the corpus GREEN
// is np.mean of the per-sample scores and its spread np.std (population, ddof=0), as GREEN's
// compute_summary and RadEval report them; the sub-category keys are the mean counts per sample
// (GREEN's error_counts table, averaged). Samples without a score (a failed request, cut-off
// thinking) are left out of every mean and counted as excluded — never scored 0.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/metrics/green/green_parser.h"

namespace rrg::metrics::green {

// Metric keys, in output order: GREEN, GREEN_a_false_finding ... GREEN_f_missing_comparison (mean
// clinically significant errors of each sub-category), GREEN_matched (mean matched findings),
// GREEN_insignificant (mean clinically insignificant errors, all six sub-categories).
inline constexpr const char* kGreenKey = "GREEN";
inline constexpr const char* kGreenMatchedKey = "GREEN_matched";
inline constexpr const char* kGreenInsignificantKey = "GREEN_insignificant";
const std::vector<std::string>& green_metric_keys();

struct GreenSample {
  std::optional<double> green;  // the sample's GREEN; unset exactly when error is set
  GreenCounts counts;           // as parsed (zeros when the request failed)
  std::string error;            // why the sample has no score; "" when it has one
  bool request_failed = false;  // error is a request failure (vs. an unusable answer)
  std::string answer;           // the judge's answer, thinking removed ("" when it failed)
  std::string reasoning;        // the judge's thinking, when it produced any
  std::string finish_reason;    // "stop", "length" (answer cut by the token limit), ...
  bool from_cache = false;      // answered by the cache (no request this run)
  int attempts = 0;             // HTTP attempts (0 from the cache)
  double latency_ms = 0;

  // The sample's value of a metric key (nullopt when the sample has no score).
  std::optional<double> value(const std::string& key) const;
};

struct GreenSummary {
  std::size_t n_samples = 0;
  std::size_t n_scored = 0;
  std::size_t n_excluded = 0;
  double mean = 0;  // np.mean of the scores (NaN when no sample has one)
  double std = 0;   // np.std of the scores, ddof=0 (NaN when none)
  std::array<double, kGreenSubCategoryCount> significant_mean{};  // per sub-category
  double matched_mean = 0;
  double insignificant_mean = 0;

  // The corpus value of a metric key.
  double value(const std::string& key) const;
};

GreenSummary summarize_green(const std::vector<GreenSample>& samples);

// One sample as a JSON object: {"GREEN", each key's count, "error"?, "answer", "finish_reason",
// "from_cache"} (for per-sample outputs and debugging).
nlohmann::ordered_json green_sample_json(const GreenSample& sample);

}  // namespace rrg::metrics::green
