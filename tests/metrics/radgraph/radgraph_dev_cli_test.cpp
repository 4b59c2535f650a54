// rrg-radgraph-dev on the hand-written pairs written as files (a batch object and JSON Lines):
// its per-sample and corpus values equal the Python oracle's; bad input exits 2 with the file.
#include <gtest/gtest.h>

#include "radgraph_oracle.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

using nlohmann::json;

std::string tool() {
  return std::string(RRG_BINARY_DIR) + "/rrg-radgraph-dev";
}

TEST(RadGraphDevCli, ScoresGraphFilesAsTheOracleDoes) {
  const std::vector<GraphPair> pairs = load_graph_pairs();
  json batch = json::object();
  std::string lines;
  json request = {{"mode", "rewards"}, {"cases", json::array()}};
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    batch[std::to_string(i)] = pairs[i].hypothesis_json;
    lines += pairs[i].reference_json.dump() + "\n";
    request["cases"].push_back(
        {{"hypothesis", pairs[i].hypothesis_json}, {"reference", pairs[i].reference_json}});
  }
  const std::string dir = ::testing::TempDir();
  write_file(dir + "/radgraph_dev_pred.json", batch.dump());
  write_file(dir + "/radgraph_dev_ref.jsonl", lines);
  const CommandResult result = run_command({tool(), "--pred", dir + "/radgraph_dev_pred.json",
                                            "--ref", dir + "/radgraph_dev_ref.jsonl"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json out = json::parse(result.out);

  const RadGraphOracleAnswer answer = run_radgraph_oracle(request);
  if (!answer.unavailable.empty()) GTEST_SKIP() << answer.unavailable;
  const json& samples = answer.json.at("samples");
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(out["per_sample"]["RadGraph_simple"][i], samples[i]["simple"]) << pairs[i].name;
    EXPECT_EQ(out["per_sample"]["RadGraph_partial"][i], samples[i]["partial"]) << pairs[i].name;
    EXPECT_EQ(out["per_sample"]["RadGraph_complete"][i], samples[i]["complete"]) << pairs[i].name;
    EXPECT_EQ(out["per_sample"]["RadGraph_radcliq"][i], samples[i]["radcliq"]) << pairs[i].name;
  }
  EXPECT_EQ(out["corpus"]["RadGraph_simple"], answer.json["mean"]["simple"]);
  EXPECT_EQ(out["corpus"]["RadGraph_complete"], answer.json["mean"]["complete"]);
  EXPECT_EQ(out["corpus"]["RadGraph_radcliq"], answer.json["mean"]["radcliq"]);
}

TEST(RadGraphDevCli, BadInputNamesTheFile) {
  const std::string dir = ::testing::TempDir();
  const std::string bad = dir + "/radgraph_dev_bad.jsonl";
  write_file(bad, "{\"entities\": {}}\n{\"entities\": {\"1\": {\"tokens\": \"x\"}}}\n");
  const CommandResult result = run_command({tool(), "--pred", bad, "--ref", bad});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(bad + " line 2, entity 1: missing \"label\""), std::string::npos)
      << result.err;
  EXPECT_TRUE(result.out.empty());
}

}  // namespace
}  // namespace rrg::testing
