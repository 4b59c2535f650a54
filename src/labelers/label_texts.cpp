// Distinct-text labelling (see label_texts.h).
#include "rrg/labelers/label_texts.h"

#include <string_view>

#include "rrg/core/string_slots.h"

namespace rrg::labelers {

DistinctLabels label_distinct(Labeler& labeler, const std::vector<std::string_view>& texts) {
  DistinctLabels out;
  StringSlots slot_of(texts.size());
  std::vector<std::string_view> distinct;
  out.slots.resize(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    bool inserted = false;
    // StringSlots numbers at most 2^32 - 2 strings, so a slot fits 32 bits.
    out.slots[i] = static_cast<std::uint32_t>(slot_of.find_or_add(texts[i], inserted));
    if (inserted) distinct.push_back(texts[i]);
  }
  out.distinct = labeler.label_views(distinct);
  out.n_distinct = distinct.size();
  return out;
}

}  // namespace rrg::labelers
