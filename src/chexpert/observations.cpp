// Observation names and label helpers (see observations.h).
#include "rrg/chexpert/observations.h"

namespace rrg::chexpert {

LabelRow blank_row() {
  LabelRow row;
  row.fill(Label::kBlank);
  return row;
}

std::optional<std::size_t> observation_index(std::string_view name) {
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    if (kObservationNames[i] == name) return i;
  }
  return std::nullopt;
}

std::string_view label_text(Label label) {
  switch (label) {
    case Label::kPositive:
      return "1";
    case Label::kNegative:
      return "0";
    case Label::kUncertain:
      return "-1";
    case Label::kBlank:
      break;
  }
  return "";
}

}  // namespace rrg::chexpert
