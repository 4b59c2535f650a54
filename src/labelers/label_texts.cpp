// Distinct-text labelling (see label_texts.h).
#include "rrg/labelers/label_texts.h"

#include <algorithm>
#include <string_view>

#include "rrg/core/string_slots.h"

namespace rrg::labelers {

DistinctLabels label_distinct(Labeler& labeler, const std::vector<std::string_view>& texts) {
  DistinctLabels out;
  StringSlots slot_of(texts.size());
  std::vector<std::string_view> distinct;
  out.slots.resize(texts.size());
  // Hashes run kAhead texts in front of the lookups, whose table slots are prefetched meanwhile.
  constexpr std::size_t kAhead = 8;
  std::uint64_t hashes[kAhead];
  for (std::size_t i = 0; i < std::min(kAhead, texts.size()); ++i) {
    hashes[i] = StringSlots::hash(texts[i]);
    slot_of.prefetch(hashes[i]);
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::uint64_t hash = hashes[i % kAhead];
    if (i + kAhead < texts.size()) {
      hashes[i % kAhead] = StringSlots::hash(texts[i + kAhead]);
      slot_of.prefetch(hashes[i % kAhead]);
    }
    bool inserted = false;
    // StringSlots numbers at most 2^32 - 2 strings, so a slot fits 32 bits.
    out.slots[i] = static_cast<std::uint32_t>(slot_of.find_or_add(texts[i], hash, inserted));
    if (inserted) distinct.push_back(texts[i]);
  }
  out.distinct = labeler.label_views(distinct);
  out.n_distinct = distinct.size();
  return out;
}

}  // namespace rrg::labelers
