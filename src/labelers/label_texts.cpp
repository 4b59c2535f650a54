// Distinct-text labelling (see label_texts.h).
#include "rrg/labelers/label_texts.h"

#include <string_view>
#include <unordered_map>

namespace rrg::labelers {

DistinctLabels label_distinct(Labeler& labeler, const std::vector<std::string_view>& texts) {
  std::unordered_map<std::string_view, std::size_t> slot_of;
  slot_of.reserve(texts.size());
  std::vector<std::string> distinct;
  std::vector<std::size_t> slot(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto [it, inserted] = slot_of.emplace(texts[i], distinct.size());
    if (inserted) distinct.emplace_back(texts[i]);
    slot[i] = it->second;
  }
  const std::vector<LabelResult> labelled = labeler.label(distinct);
  DistinctLabels out;
  out.n_distinct = distinct.size();
  out.results.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) out.results.push_back(labelled[slot[i]]);
  return out;
}

}  // namespace rrg::labelers
