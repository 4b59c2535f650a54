// Test helpers of the RadGraph metrics: the hand-written graph pairs (reward_pairs.json) and the
// Python oracle (radgraph_oracle.py, run by /usr/bin/python3 at test time).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/metrics/radgraph/graph.h"

namespace rrg::testing {

struct GraphPair {
  std::string name;
  metrics::radgraph::Graph hypothesis;
  metrics::radgraph::Graph reference;
  nlohmann::json hypothesis_json;
  nlohmann::json reference_json;
};

// tests/metrics/radgraph/reward_pairs.json, read by graph_json.h.
std::vector<GraphPair> load_graph_pairs();

struct RadGraphOracleAnswer {
  nlohmann::json json;
  std::string unavailable;  // non-empty: no interpreter / numpy (the test skips)
};

RadGraphOracleAnswer run_radgraph_oracle(const nlohmann::json& request);

}  // namespace rrg::testing
