// Test helpers of the RadGraph metrics (see radgraph_oracle.h).
#include "radgraph_oracle.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "rrg/metrics/radgraph/graph_json.h"
#include "support/test_support.h"

namespace rrg::testing {

namespace {
constexpr const char* kPython = "/usr/bin/python3";  // Debian's, with numpy
constexpr int kMissingModules = 77;
}  // namespace

std::vector<GraphPair> load_graph_pairs() {
  const std::string path = source_dir() + "/tests/metrics/radgraph/reward_pairs.json";
  const nlohmann::json file = nlohmann::json::parse(read_file(path));
  std::vector<GraphPair> pairs;
  for (const auto& item : file.at("cases")) {
    GraphPair pair;
    pair.name = item.at("name").get<std::string>();
    pair.hypothesis_json = item.at("hypothesis");
    pair.reference_json = item.at("reference");
    pair.hypothesis =
        metrics::radgraph::graph_from_json(pair.hypothesis_json, path + " " + pair.name);
    pair.reference =
        metrics::radgraph::graph_from_json(pair.reference_json, path + " " + pair.name);
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

RadGraphOracleAnswer run_radgraph_oracle(const nlohmann::json& request) {
  RadGraphOracleAnswer answer;
  if (!file_exists(kPython)) {
    answer.unavailable = "no /usr/bin/python3 (install python3-numpy)";
    return answer;
  }
  const std::string script = source_dir() + "/tests/metrics/radgraph/radgraph_oracle.py";
  const CommandResult result = run_command({kPython, script}, request.dump());
  if (result.exit_code == kMissingModules) {
    answer.unavailable = result.err;
    return answer;
  }
  if (result.exit_code != 0) {
    ADD_FAILURE() << "radgraph oracle failed (exit " << result.exit_code << "): " << result.err;
    throw std::runtime_error("radgraph oracle failed");
  }
  answer.json = nlohmann::json::parse(result.out);
  return answer;
}

}  // namespace rrg::testing
