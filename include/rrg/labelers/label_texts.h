// Labelling a list of texts where many repeat (references shared by several predictions, a
// template model's identical outputs): every distinct text is labelled exactly once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/labelers/labeler.h"

namespace rrg::labelers {

struct DistinctLabels {
  std::vector<LabelResult> results;  // results[i] belongs to texts[i]
  std::size_t n_distinct = 0;        // texts actually sent to the labeler
};

// Labels texts[i] for every i, sending each distinct text to `labeler` once, in first-seen order.
DistinctLabels label_distinct(Labeler& labeler, const std::vector<std::string_view>& texts);

}  // namespace rrg::labelers
