// Labelling a list of texts where many repeat (references shared by several predictions, a
// template model's identical outputs): every distinct text is labelled exactly once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/labelers/labeler.h"

namespace rrg::labelers {

// The labels of a list of texts, each distinct text's result stored once (a million-pair corpus
// holds two million texts, most of them distinct or not, and a LabelResult is 48 bytes).
struct DistinctLabels {
  std::vector<LabelResult> distinct;  // one per distinct text, in first-seen order
  std::vector<std::uint32_t> slots;   // slots[i]: the index into `distinct` of texts[i]
  std::size_t n_distinct = 0;         // texts actually sent to the labeler (distinct.size())

  std::size_t size() const { return slots.size(); }
  // The result of texts[i].
  const LabelResult& result(std::size_t i) const { return distinct[slots[i]]; }
};

// Labels texts[i] for every i, sending each distinct text to `labeler` once, in first-seen order
// (as views: the texts are not copied). `threads` (0 = every core) hash the texts; the result
// does not depend on it.
DistinctLabels label_distinct(Labeler& labeler, const std::vector<std::string_view>& texts,
                              std::size_t threads = 1);

}  // namespace rrg::labelers
