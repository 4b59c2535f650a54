// RadGraph reward levels and RadCliQ's entity/relation F1 (see rewards.h).
#include "rrg/metrics/radgraph/rewards.h"

#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "rrg/text/python_str.h"

namespace rrg::metrics::radgraph {
namespace {

// One item of a level's set. Python's tuples of different lengths never compare equal, so the
// arity takes part in the comparison: (tokens, label) is arity 2, the partial level's
// (tokens, label, True) arity 3, the complete level's (tokens, label, type, target) arity 4.
struct Item {
  int arity = 2;
  std::string tokens;
  std::string label;
  std::string relation;  // arity 4
  std::string target;    // arity 4

  bool operator<(const Item& other) const {
    return std::tie(arity, tokens, label, relation, target) <
           std::tie(other.arity, other.tokens, other.label, other.relation, other.target);
  }
};

template <typename Set>
std::size_t overlap(const Set& a, const Set& b) {
  std::size_t count = 0;
  for (const auto& item : a) count += b.count(item);
  return count;
}

template <typename Set>
double f1_of_sets(const Set& hypothesis, const Set& reference) {
  return set_f1(overlap(hypothesis, reference), hypothesis.size(), reference.size());
}

const Entity* find_entity(const Graph& graph, const std::string& key) {
  for (const auto& entity : graph.entities) {
    if (entity.key == key) return &entity;
  }
  return nullptr;
}

enum class Level { kSimple, kPartial, kComplete };

std::set<Item> level_items(const Graph& graph, Level level) {
  std::set<Item> items;
  for (const auto& entity : graph.entities) {
    const std::string tokens = text::python_lower(entity.tokens);
    if (level == Level::kSimple || entity.relations.empty()) {
      items.insert({2, tokens, entity.label, "", ""});
    } else if (level == Level::kPartial) {
      items.insert({3, tokens, entity.label, "", ""});
    } else {
      for (const auto& relation : entity.relations) {
        const Entity* target = find_entity(graph, relation.target);
        if (target == nullptr) {
          throw std::invalid_argument("RadGraph: entity " + entity.key + "'s relation " +
                                      relation.type + " points to entity " + relation.target +
                                      ", which the graph does not have");
        }
        items.insert({4, tokens, entity.label, relation.type, text::python_lower(target->tokens)});
      }
    }
  }
  return items;
}

using Node = std::pair<std::string, std::string>;  // (tokens, label)
using Edge = std::tuple<Node, Node, std::string>;  // (source, target, type)

std::set<Node> entity_set(const Graph& graph) {
  std::set<Node> nodes;
  for (const auto& entity : graph.entities) nodes.insert({entity.tokens, entity.label});
  return nodes;
}

std::set<Edge> relation_set(const Graph& graph) {
  std::set<Edge> edges;
  for (const auto& entity : graph.entities) {
    for (const auto& relation : entity.relations) {
      const Entity* target = find_entity(graph, relation.target);
      if (target == nullptr) continue;
      edges.insert({{entity.tokens, entity.label}, {target->tokens, target->label}, relation.type});
    }
  }
  return edges;
}

}  // namespace

double set_f1(std::size_t overlap, std::size_t hypothesis_size, std::size_t reference_size) {
  const double precision = hypothesis_size > 0
                               ? static_cast<double>(overlap) / static_cast<double>(hypothesis_size)
                               : 0.0;
  const double recall =
      reference_size > 0 ? static_cast<double>(overlap) / static_cast<double>(reference_size) : 0.0;
  if (precision + recall > 0.0) return 2.0 * precision * recall / (precision + recall);
  return 0.0;
}

RewardLevels reward_levels(const Graph& hypothesis, const Graph& reference) {
  RewardLevels levels;
  if (hypothesis.entities.empty() || reference.entities.empty()) return levels;
  levels.simple =
      f1_of_sets(level_items(hypothesis, Level::kSimple), level_items(reference, Level::kSimple));
  levels.partial =
      f1_of_sets(level_items(hypothesis, Level::kPartial), level_items(reference, Level::kPartial));
  levels.complete = f1_of_sets(level_items(hypothesis, Level::kComplete),
                               level_items(reference, Level::kComplete));
  return levels;
}

RewardLevels reward_levels_for_texts(const std::string& hypothesis_text, const Graph& hypothesis,
                                     const std::string& reference_text, const Graph& reference) {
  if (hypothesis_text.empty() || reference_text.empty()) return {};
  return reward_levels(hypothesis, reference);
}

RadCliqF1 radcliq_f1(const Graph& hypothesis, const Graph& reference) {
  RadCliqF1 f1;
  f1.entity_f1 = f1_of_sets(entity_set(hypothesis), entity_set(reference));
  f1.relation_f1 = f1_of_sets(relation_set(hypothesis), relation_set(reference));
  f1.combined = (f1.entity_f1 + f1.relation_f1) / 2.0;
  return f1;
}

}  // namespace rrg::metrics::radgraph
