// The reward levels, RadCliQ's entity/relation F1 and the RadGraph JSON format: hand-computed
// cases, and every hand-written pair of reward_pairs.json against the Python oracle.
#include "rrg/metrics/radgraph/rewards.h"

#include <gtest/gtest.h>

#include "radgraph_oracle.h"
#include "rrg/core/errors.h"
#include "rrg/metrics/python_math.h"
#include "rrg/metrics/radgraph/graph_json.h"
#include "support/test_support.h"

namespace rrg::metrics::radgraph {
namespace {

using nlohmann::json;

Entity entity(const std::string& key, const std::string& tokens, const std::string& label,
              std::vector<Relation> relations = {}) {
  Entity e;
  e.key = key;
  e.tokens = tokens;
  e.label = label;
  e.relations = std::move(relations);
  return e;
}

Graph graph(std::vector<Entity> entities, const std::string& text = "some text") {
  Graph g;
  g.text = text;
  g.entities = std::move(entities);
  return g;
}

std::string error_of(const json& annotation) {
  try {
    graph_from_json(annotation, "graphs.json line 3");
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

TEST(RadGraphSetF1, IsPythonsFormula) {
  EXPECT_EQ(set_f1(0, 0, 0), 0.0);
  EXPECT_EQ(set_f1(0, 3, 4), 0.0);
  EXPECT_EQ(set_f1(2, 2, 2), 1.0);
  const double p = 2.0 / 3.0, r = 2.0 / 7.0;
  EXPECT_EQ(set_f1(2, 3, 7), 2 * p * r / (p + r));
}

TEST(RadGraphRewards, HandComputedLevels) {
  // Reference: "left pleural effusion" with effusion located_at pleural, left modify pleural.
  const Graph reference =
      graph({entity("1", "left", "ANAT-DP", {{"modify", "2"}}), entity("2", "pleural", "ANAT-DP"),
             entity("3", "effusion", "OBS-DP", {{"located_at", "2"}})});
  // Same entities, "left" without its relation, effusion's relation of another type.
  const Graph hypothesis = graph({entity("1", "Left", "ANAT-DP"), entity("2", "pleural", "ANAT-DP"),
                                  entity("3", "effusion", "OBS-DP", {{"modify", "2"}})});
  const RewardLevels levels = reward_levels(hypothesis, reference);
  EXPECT_EQ(levels.simple, 1.0);  // lower-cased tokens and labels all agree
  // partial: {left, pleural, effusion+rel} vs {left+rel, pleural, effusion+rel}: 2 of 3 each.
  EXPECT_EQ(levels.partial, set_f1(2, 3, 3));
  // complete: {left, pleural, (effusion, modify, pleural)} vs
  //           {(left, modify, pleural), pleural, (effusion, located_at, pleural)}: 1 of 3.
  EXPECT_EQ(levels.complete, set_f1(1, 3, 3));

  const RadCliqF1 f1 = radcliq_f1(hypothesis, reference);
  EXPECT_EQ(f1.entity_f1, set_f1(2, 3, 3));  // "Left" keeps its case here
  EXPECT_EQ(f1.relation_f1, 0.0);
  EXPECT_EQ(f1.combined, f1.entity_f1 / 2.0);
}

TEST(RadGraphRewards, EmptyGraphsAndTexts) {
  const Graph one = graph({entity("1", "edema", "OBS-DP")});
  const Graph none = graph({});
  EXPECT_EQ(reward_levels(none, one).simple, 0.0);
  EXPECT_EQ(reward_levels(one, none).complete, 0.0);
  EXPECT_EQ(reward_levels(one, one).partial, 1.0);
  // F1RadGraph scores 0 for an empty text whatever the graphs.
  EXPECT_EQ(reward_levels_for_texts("", one, "edema", one).simple, 0.0);
  EXPECT_EQ(reward_levels_for_texts("edema", one, "", one).complete, 0.0);
  EXPECT_EQ(reward_levels_for_texts("edema", one, "edema", one).simple, 1.0);
  // RadCliQ has no special case: entity F1 1, no relations on either side.
  EXPECT_EQ(radcliq_f1(one, one).combined, 0.5);
  EXPECT_EQ(radcliq_f1(none, none).combined, 0.0);
}

TEST(RadGraphRewards, DanglingRelations) {
  const Graph dangling = graph({entity("1", "edema", "OBS-DP", {{"modify", "7"}})});
  const Graph plain = graph({entity("1", "edema", "OBS-DP")});
  // rewards.py indexes the target (KeyError); RadEval's radcliq skips the relation.
  EXPECT_THROW(reward_levels(dangling, plain), std::invalid_argument);
  const RadCliqF1 f1 = radcliq_f1(dangling, plain);
  EXPECT_EQ(f1.entity_f1, 1.0);
  EXPECT_EQ(f1.relation_f1, 0.0);
}

TEST(RadGraphJson, ReadsAndWritesTheAnnotation) {
  const json annotation = json::parse(R"({"text": "a b", "data_source": "MIMIC-CXR",
    "entities": {
      "10": {"tokens": "b", "label": "OBS-DP", "start_ix": 1, "end_ix": 1, "relations": []},
      "2": {"tokens": "a", "label": "ANAT-DP", "start_ix": 0, "end_ix": 0,
            "relations": [["located_at", "10"]]}}})");
  const Graph g = graph_from_json(annotation, "x.json");
  EXPECT_EQ(g.text, "a b");
  ASSERT_EQ(g.entities.size(), 2u);
  EXPECT_EQ(g.entities[0].key, "2");  // numeric key order, not "10" < "2"
  EXPECT_EQ(g.entities[1].key, "10");
  ASSERT_EQ(g.entities[0].relations.size(), 1u);
  EXPECT_EQ(g.entities[0].relations[0].type, "located_at");
  EXPECT_EQ(g.entities[0].relations[0].target, "10");
  EXPECT_EQ(g.entities[1].start_ix, 1);

  const json written = graph_to_json(g);
  EXPECT_FALSE(written.contains("data_source"));
  json expected = annotation;
  expected.erase("data_source");
  EXPECT_EQ(written, expected);
  const Graph again = graph_from_json(written, "written");
  EXPECT_EQ(graph_to_json(again), written);

  const std::vector<Graph> batch = graphs_from_json(graphs_to_json({g, Graph{}}), "batch.json");
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].entities.size(), 2u);
  EXPECT_TRUE(batch[1].entities.empty());
}

TEST(RadGraphJson, RejectsMalformedAnnotations) {
  EXPECT_NE(error_of(json::array()).find("graphs.json line 3: a RadGraph annotation must be"),
            std::string::npos);
  EXPECT_NE(error_of(json::parse(R"({"text": "x"})")).find("missing \"entities\""),
            std::string::npos);
  const std::string no_label = error_of(json::parse(
      R"({"entities": {"1": {"tokens": "x", "start_ix": 0, "end_ix": 0, "relations": []}}})"));
  EXPECT_NE(no_label.find("graphs.json line 3, entity 1: missing \"label\""), std::string::npos)
      << no_label;
  const std::string bad_index = error_of(json::parse(
      R"({"entities": {"1": {"tokens": "x", "label": "OBS-DP", "start_ix": "0", "end_ix": 0,
          "relations": []}}})"));
  EXPECT_NE(bad_index.find("\"start_ix\" is not an integer"), std::string::npos) << bad_index;
  const std::string bad_relation = error_of(json::parse(
      R"({"entities": {"1": {"tokens": "x", "label": "OBS-DP", "start_ix": 0, "end_ix": 0,
          "relations": [["modify"]]}}})"));
  EXPECT_NE(bad_relation.find("relation 0 is not a [type, entity key] pair"), std::string::npos)
      << bad_relation;
  const std::string dangling = error_of(json::parse(
      R"({"entities": {"1": {"tokens": "x", "label": "OBS-DP", "start_ix": 0, "end_ix": 0,
          "relations": [["modify", "9"]]}}})"));
  EXPECT_NE(dangling.find("entity 1: relation \"modify\" points to entity \"9\""),
            std::string::npos)
      << dangling;
  try {
    graphs_from_json(json::parse(R"({"0": {"entities": {}}, "2": {"entities": {}}})"), "b.json");
    ADD_FAILURE() << "no error for a gap in the report keys";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("b.json: report keys must be \"0\" .. \"1\""),
              std::string::npos)
        << error.what();
  }
}

TEST(RadGraphJson, ReadsBatchSingleAndJsonLinesFiles) {
  const std::string dir = ::testing::TempDir();
  const Graph edema = graph({entity("1", "edema", "OBS-DP")}, "edema");
  const Graph none = graph({}, "normal");
  const std::string batch = dir + "/radgraph_batch.json";
  testing::write_file(batch, graphs_to_json({edema, none}).dump(2));
  const std::vector<Graph> from_batch = read_graphs_file(batch);
  ASSERT_EQ(from_batch.size(), 2u);
  EXPECT_EQ(from_batch[0].entities.at(0).tokens, "edema");
  EXPECT_EQ(from_batch[1].text, "normal");

  const std::string single = dir + "/radgraph_single.json";
  testing::write_file(single, graph_to_json(edema).dump());
  EXPECT_EQ(read_graphs_file(single).size(), 1u);

  const std::string lines = dir + "/radgraph_lines.jsonl";
  testing::write_file(lines,
                      graph_to_json(edema).dump() + "\n\n" + graph_to_json(none).dump() + "\n");
  const std::vector<Graph> from_lines = read_graphs_file(lines);
  ASSERT_EQ(from_lines.size(), 2u);
  EXPECT_EQ(from_lines[1].text, "normal");

  const std::string broken = dir + "/radgraph_broken.jsonl";
  testing::write_file(broken, graph_to_json(edema).dump() + "\n" +
                                  R"({"entities": {"1": {"tokens": "x"}}})" + "\n{oops\n");
  try {
    read_graphs_file(broken);
    ADD_FAILURE() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(broken + " line 2, entity 1: missing \"label\""),
              std::string::npos)
        << error.what();
  }
  testing::write_file(broken, graph_to_json(edema).dump() + "\n{oops\n");
  try {
    read_graphs_file(broken);
    ADD_FAILURE() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(broken + " line 2: invalid JSON"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(read_graphs_file(dir + "/no_such_radgraph_file.json"), InputError);
}

TEST(RadGraphRewards, HandWrittenPairsEqualThePythonOracle) {
  const std::vector<testing::GraphPair> pairs = testing::load_graph_pairs();
  ASSERT_GE(pairs.size(), 30u);
  json request = {{"mode", "rewards"}, {"cases", json::array()}};
  for (const auto& pair : pairs) {
    request["cases"].push_back(
        {{"hypothesis", pair.hypothesis_json}, {"reference", pair.reference_json}});
  }
  const testing::RadGraphOracleAnswer answer = testing::run_radgraph_oracle(request);
  if (!answer.unavailable.empty()) GTEST_SKIP() << answer.unavailable;
  const json& samples = answer.json.at("samples");
  ASSERT_EQ(samples.size(), pairs.size());
  std::vector<double> simple, partial, complete;
  double radcliq_sum = 0.0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& pair = pairs[i];
    const json& expected = samples[i];
    const RewardLevels levels = reward_levels_for_texts(pair.hypothesis.text, pair.hypothesis,
                                                        pair.reference.text, pair.reference);
    const RadCliqF1 f1 = radcliq_f1(pair.hypothesis, pair.reference);
    // The same operations on the same counts: equal to the last bit.
    EXPECT_EQ(levels.simple, expected.at("simple").get<double>()) << pair.name;
    EXPECT_EQ(levels.partial, expected.at("partial").get<double>()) << pair.name;
    EXPECT_EQ(levels.complete, expected.at("complete").get<double>()) << pair.name;
    EXPECT_EQ(f1.entity_f1, expected.at("entity_f1").get<double>()) << pair.name;
    EXPECT_EQ(f1.relation_f1, expected.at("relation_f1").get<double>()) << pair.name;
    EXPECT_EQ(f1.combined, expected.at("radcliq").get<double>()) << pair.name;
    simple.push_back(levels.simple);
    partial.push_back(levels.partial);
    complete.push_back(levels.complete);
    radcliq_sum += f1.combined;
  }
  const json& mean = answer.json.at("mean");
  EXPECT_EQ(numpy_mean(simple), mean.at("simple").get<double>());
  EXPECT_EQ(numpy_mean(partial), mean.at("partial").get<double>());
  EXPECT_EQ(numpy_mean(complete), mean.at("complete").get<double>());
  EXPECT_EQ(radcliq_sum / static_cast<double>(pairs.size()), mean.at("radcliq").get<double>());
}

}  // namespace
}  // namespace rrg::metrics::radgraph
