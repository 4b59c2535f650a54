// RadGraph F1 between a hypothesis graph and a reference graph, in the two families the
// literature uses (docs/radgraph.md):
//
// 1. F1RadGraph's reward levels (the `radgraph` package, radgraph/rewards.py, as RadEval's
//    `radgraph` metric reports them). Each level builds a set of items per graph, then
//    F1 = 2PR/(P+R) with P = |H ∩ R| / |H|, R = |H ∩ R| / |R| (0 for an empty set, 0 when P+R = 0):
//      simple:   (lower(tokens), label) of every entity;
//      partial:  (lower(tokens), label) of entities without relations, and
//                (lower(tokens), label, has-relation) of entities with some;
//      complete: (lower(tokens), label) of entities without relations, and for every relation
//                (lower(tokens), label, relation type, lower(target's tokens)) — the target's
//                label is not part of the item.
//    lower() is Python's str.lower(). All three levels are 0 when either graph has no entity
//    (compute_reward), and F1RadGraph gives 0 without running the model when either *text* is
//    "" (reward_levels_for_texts).
//
// 2. RadCliQ's RadGraph score (rajpurkarlab/CXR-Report-Metric radgraph_evaluate_model.py, as
//    RadEval's radgraph_radcliq and RadCliQ-v1 compute it): entity F1 over the sets of
//    (tokens, label) — case kept — and relation F1 over the sets of
//    ((tokens, label), (target tokens, target label), type); the pair's score is their mean.
//    P = TP / |hypothesis set|, R = TP / |reference set| (0 when a set is empty); no special
//    case for empty graphs.
//
// Both use sets: repeated items count once.
#pragma once

#include "rrg/metrics/radgraph/graph.h"

namespace rrg::metrics::radgraph {

struct RewardLevels {
  double simple = 0.0;
  double partial = 0.0;
  double complete = 0.0;
};

// compute_reward(hypothesis, reference, "all"). Throws std::invalid_argument for a relation
// whose target key is not an entity of its graph (Python raises KeyError at the complete level;
// graphs read by graph_json.h never have one).
RewardLevels reward_levels(const Graph& hypothesis, const Graph& reference);

// F1RadGraph's per-pair value: all 0 when either text is "" (the graphs are then not looked
// at), else reward_levels().
RewardLevels reward_levels_for_texts(const std::string& hypothesis_text, const Graph& hypothesis,
                                     const std::string& reference_text, const Graph& reference);

struct RadCliqF1 {
  double entity_f1 = 0.0;
  double relation_f1 = 0.0;
  double combined = 0.0;  // (entity_f1 + relation_f1) / 2: radgraph_combined
};

// Relations to a key the graph does not have are left out (RadEval's `if tgt_ent`).
RadCliqF1 radcliq_f1(const Graph& hypothesis, const Graph& reference);

// 2PR/(P+R) of two item counts and their overlap, in Python's order of operations
// (2 * precision * recall / (precision + recall)); exposed for the tests.
double set_f1(std::size_t overlap, std::size_t hypothesis_size, std::size_t reference_size);

}  // namespace rrg::metrics::radgraph
