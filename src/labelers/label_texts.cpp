// Distinct-text labelling (see label_texts.h).
#include "rrg/labelers/label_texts.h"

#include <string_view>

#include "rrg/core/string_slots.h"

namespace rrg::labelers {

DistinctLabels label_distinct(Labeler& labeler, const std::vector<std::string_view>& texts) {
  StringSlots slot_of(texts.size());
  std::vector<std::string> distinct;
  std::vector<std::size_t> slot(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    bool inserted = false;
    slot[i] = slot_of.find_or_add(texts[i], inserted);
    if (inserted) distinct.emplace_back(texts[i]);
  }
  const std::vector<LabelResult> labelled = labeler.label(distinct);
  DistinctLabels out;
  out.n_distinct = distinct.size();
  out.results.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) out.results.push_back(labelled[slot[i]]);
  return out;
}

}  // namespace rrg::labelers
