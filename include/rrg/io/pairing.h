// Pairing predictions with references by id.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/io/report_file.h"

namespace rrg::io {

// What to do with ids present on one side only.
enum class MissingPolicy {
  kError,  // default: stop and name the count and the first ids
  kSkip,   // score only the ids present on both sides
  kEmpty,  // score a missing prediction as "" (and a missing reference as "")
};

// "error", "skip", "empty"; throws rrg::InputError otherwise.
MissingPolicy parse_missing_policy(std::string_view name);
// "error", "skip" or "empty".
std::string_view missing_policy_name(MissingPolicy policy);

struct PairedReports {
  std::vector<std::string> ids;                      // in prediction-file order
  std::vector<std::string> predictions;              // one per id
  std::vector<std::vector<std::string>> references;  // one or more per id
  std::vector<std::string> prediction_errors;        // "" or the producer's recorded error
  std::size_t missing_predictions = 0;               // reference ids without a prediction
  std::size_t missing_references = 0;                // prediction ids without a reference
  bool paired_by_position = false;                   // true when one side had positional ids
};

// Pairs by id (by position when either file has positional ids, which then requires equal
// counts). Throws rrg::InputError under MissingPolicy::kError when ids differ, naming how many
// are missing on each side and the first ones. The files are taken by value: pass them with
// std::move to hand their texts over instead of copying them (a million-report corpus).
PairedReports pair_reports(ReportFile predictions, ReportFile references, MissingPolicy policy);

}  // namespace rrg::io
