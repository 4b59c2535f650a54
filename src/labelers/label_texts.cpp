// Distinct-text labelling (see label_texts.h).
#include "rrg/labelers/label_texts.h"

#include <algorithm>
#include <string_view>

#include "rrg/core/parallel.h"
#include "rrg/core/string_slots.h"

namespace rrg::labelers {

DistinctLabels label_distinct(Labeler& labeler, const std::vector<std::string_view>& texts,
                              std::size_t threads) {
  // The hashes (a pass over every byte of every text) are computed first, on every thread; the
  // numbering itself must follow the texts' order and runs on this thread, prefetching the table
  // slot of the text kAhead places ahead (a table of millions of slots misses the cache).
  constexpr std::size_t kBlock = 16384, kAhead = 8;
  std::vector<std::uint64_t> hashes(texts.size());
  parallel_for((texts.size() + kBlock - 1) / kBlock, resolve_threads(threads),
               [&](std::size_t block, std::size_t) {
                 const std::size_t last = std::min(texts.size(), (block + 1) * kBlock);
                 for (std::size_t i = block * kBlock; i < last; ++i) {
                   hashes[i] = StringSlots::hash(texts[i]);
                 }
               });
  DistinctLabels out;
  StringSlots slot_of(texts.size());
  std::vector<std::string_view> distinct;
  out.slots.resize(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i + kAhead < texts.size()) slot_of.prefetch(hashes[i + kAhead]);
    bool inserted = false;
    // StringSlots numbers at most 2^32 - 2 strings, so a slot fits 32 bits.
    out.slots[i] = static_cast<std::uint32_t>(slot_of.find_or_add(texts[i], hashes[i], inserted));
    if (inserted) distinct.push_back(texts[i]);
  }
  out.distinct = labeler.label_views(distinct);
  out.n_distinct = distinct.size();
  return out;
}

}  // namespace rrg::labelers
