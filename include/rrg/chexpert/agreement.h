// How well one set of CheXpert labels agrees with another (a labeler against CheXbert's labels),
// scored as ../shared/labels/score_labels.py and the CheXbert paper do:
//   - per observation, precision/recall/F1 of the positive class under U-zeros (a label is
//     positive only when it is 1), and the 3-class weighted F1 (F1 of 1, 0 and -1, weighted by
//     their gold support; blank is no class);
//   - micro F1 of the positive class over the 14 observations, macro F1 over the observations
//     with gold positives, and the 4-way exact match (1/0/-1/blank equal) over every cell.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "rrg/chexpert/observations.h"

namespace rrg::chexpert {

struct ObservationAgreement {
  std::size_t gold_positives = 0;  // gold 1s
  std::size_t predicted_positives = 0;
  double precision = 0.0, recall = 0.0, f1 = 0.0;  // positive class; 0 when undefined
  std::optional<double> weighted_f1;               // 3-class; none without gold 1/0/-1
};

struct LabelAgreement {
  std::size_t n = 0;  // pairs compared
  std::array<ObservationAgreement, kNumObservations> per_observation;
  double micro_f1 = 0.0;
  double macro_f1 = 0.0;        // over observations with gold positives
  std::size_t macro_count = 0;  // how many observations that is
  double exact_match = 0.0;     // 4-way, over all cells
};

// `gold` and `predicted` pair by index. Throws std::invalid_argument when their sizes differ.
LabelAgreement compare_labels(const std::vector<LabelRow>& gold,
                              const std::vector<LabelRow>& predicted);

// The agreement as an aligned table (observations, then micro / macro / exact match).
std::string format_agreement(const LabelAgreement& agreement);

}  // namespace rrg::chexpert
