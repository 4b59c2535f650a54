// RadGraphMetric over an extractor that returns hand-written graphs (the metric is under test,
// the graphs are its input): per-sample and corpus values against the Python oracle, distinct
// texts extracted once, F1RadGraph's empty texts left out of the batch, resampling, signatures.
#include "rrg/metrics/radgraph/radgraph_metric.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "radgraph_oracle.h"
#include "rrg/metrics/radgraph/graph_json.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics::radgraph {
namespace {

using nlohmann::json;

// Returns the graph written for each text; records what it was asked.
class HandWrittenExtractor final : public GraphExtractor {
 public:
  explicit HandWrittenExtractor(std::map<std::string, Graph> graphs) : graphs_(std::move(graphs)) {}

  std::vector<Graph> extract(const std::vector<std::string>& texts) override {
    calls_.push_back(texts);
    std::vector<Graph> out;
    for (const auto& text : texts) out.push_back(graphs_.at(text));
    return out;
  }
  std::string description() const override { return "hand-written@test"; }

  const std::vector<std::vector<std::string>>& calls() const { return calls_; }

 private:
  std::map<std::string, Graph> graphs_;
  std::vector<std::vector<std::string>> calls_;
};

// The hand-written pairs as a corpus: texts named after the case ("" stays ""), the last two
// pairs repeated so that some texts occur more than once.
struct Fixture {
  TextCorpus corpus;
  std::map<std::string, Graph> graphs;
  std::size_t distinct_nonempty = 0;
};

Fixture make_fixture() {
  Fixture fixture;
  // The graph of "None", which the metric sends for an empty text (as RadGraph.forward does).
  Graph none;
  none.entities.push_back({"1", "None", "OBS-DA", 0, 0, {}});
  none.text = "None";
  fixture.graphs["None"] = none;
  std::vector<testing::GraphPair> pairs = testing::load_graph_pairs();
  pairs.push_back(pairs[7]);
  pairs.push_back(pairs[8]);
  for (const auto& pair : pairs) {
    const std::string hypothesis = pair.hypothesis.text.empty() ? "" : "hyp " + pair.name;
    const std::string reference = pair.reference.text.empty() ? "" : "ref " + pair.name;
    if (!hypothesis.empty()) fixture.graphs[hypothesis] = pair.hypothesis;
    if (!reference.empty()) fixture.graphs[reference] = pair.reference;
    fixture.corpus.hypotheses.push_back(hypothesis);
    fixture.corpus.references.push_back({reference, "a second reference is not used"});
  }
  fixture.distinct_nonempty = fixture.graphs.size() - 1;
  return fixture;
}

// The oracle's request for the graphs the extractor gives the corpus' texts.
json oracle_request(const Fixture& fixture) {
  json request = {{"mode", "rewards"}, {"cases", json::array()}};
  for (std::size_t i = 0; i < fixture.corpus.size(); ++i) {
    const std::string& hypothesis = fixture.corpus.hypotheses[i];
    const std::string& reference = fixture.corpus.references[i].front();
    json h = graph_to_json(fixture.graphs.at(hypothesis.empty() ? "None" : hypothesis));
    json r = graph_to_json(fixture.graphs.at(reference.empty() ? "None" : reference));
    h["text"] = hypothesis;
    r["text"] = reference;
    request["cases"].push_back({{"hypothesis", h}, {"reference", r}});
  }
  return request;
}

std::vector<double> corpus_values(const Scorer& scorer, const SampleStatistics& stats) {
  std::vector<std::size_t> rows(stats.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  std::vector<double> out(scorer.keys().size());
  scorer.aggregate(stats, rows.data(), rows.size(), out.data());
  return out;
}

TEST(RadGraphMetric, EqualsThePythonOracle) {
  const Fixture fixture = make_fixture();
  auto extractor = std::make_shared<HandWrittenExtractor>(fixture.graphs);
  const RadGraphMetric metric({extractor, RadGraphKeys::kAll});
  ASSERT_EQ(metric.names(), (std::vector<std::string>{"RadGraph_simple", "RadGraph_partial",
                                                      "RadGraph_complete", "RadGraph_radcliq"}));
  CorpusInputs inputs(fixture.corpus, "none");
  const SampleStatistics stats = metric.statistics(inputs);

  const testing::RadGraphOracleAnswer answer =
      testing::run_radgraph_oracle(oracle_request(fixture));
  if (!answer.unavailable.empty()) GTEST_SKIP() << answer.unavailable;
  const json& samples = answer.json.at("samples");
  ASSERT_EQ(stats.size(), samples.size());
  const char* const fields[] = {"simple", "partial", "complete", "radcliq"};
  std::vector<double> values(4);
  for (std::size_t i = 0; i < stats.size(); ++i) {
    metric.sample_values(stats.row(i), values.data());
    for (std::size_t k = 0; k < 4; ++k) {
      EXPECT_EQ(values[k], samples[i].at(fields[k]).get<double>())
          << "pair " << i << " " << fields[k];
    }
  }
  const std::vector<double> corpus = corpus_values(metric, stats);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(corpus[k], answer.json.at("mean").at(fields[k]).get<double>()) << fields[k];
  }
  // Every distinct text once ("" as "None": RadCliQ's score extracts it), in one call.
  ASSERT_EQ(extractor->calls().size(), 1u);
  const auto& asked = extractor->calls()[0];
  EXPECT_EQ(asked.size(), fixture.distinct_nonempty + 1);
  EXPECT_EQ(std::set<std::string>(asked.begin(), asked.end()).size(), asked.size());
  EXPECT_EQ(metric.last_extraction().distinct_texts, asked.size());
  EXPECT_EQ(metric.last_extraction().pairs, fixture.corpus.size());
  EXPECT_NE(metric.summary().find("hand-written@test"), std::string::npos);
}

TEST(RadGraphMetric, RewardsAloneLeaveEmptyTextsOut) {
  const Fixture fixture = make_fixture();
  auto extractor = std::make_shared<HandWrittenExtractor>(fixture.graphs);
  const RadGraphMetric rewards({extractor, RadGraphKeys::kRewards});
  const RadGraphMetric radcliq({extractor, RadGraphKeys::kRadCliq});
  const RadGraphMetric all({extractor, RadGraphKeys::kAll});
  EXPECT_EQ(rewards.keys().size(), 3u);
  ASSERT_EQ(radcliq.names(), std::vector<std::string>{"RadGraph_radcliq"});
  CorpusInputs inputs(fixture.corpus, "none");
  const SampleStatistics reward_stats = rewards.statistics(inputs);
  ASSERT_EQ(extractor->calls().size(), 1u);
  for (const auto& text : extractor->calls()[0]) {
    EXPECT_FALSE(text.empty());
    EXPECT_NE(text, "None");  // F1RadGraph leaves empty texts out instead
  }
  const SampleStatistics radcliq_stats = radcliq.statistics(inputs);
  const SampleStatistics all_stats = all.statistics(inputs);
  // The families alone give the same numbers as together.
  for (std::size_t i = 0; i < all_stats.size(); ++i) {
    for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(reward_stats.row(i)[k], all_stats.row(i)[k]);
    EXPECT_EQ(radcliq_stats.row(i)[0], all_stats.row(i)[3]);
  }
  // A pair with an empty text scores 0 at every level, whatever the graphs.
  for (std::size_t i = 0; i < fixture.corpus.size(); ++i) {
    if (fixture.corpus.hypotheses[i].empty() || fixture.corpus.references[i][0].empty()) {
      EXPECT_EQ(reward_stats.row(i)[0], 0.0);
      EXPECT_EQ(reward_stats.row(i)[2], 0.0);
    }
  }
}

TEST(RadGraphMetric, ResampledValueEqualsScoringTheResampledTexts) {
  const Fixture fixture = make_fixture();
  auto extractor = std::make_shared<HandWrittenExtractor>(fixture.graphs);
  const RadGraphMetric metric({extractor, RadGraphKeys::kAll});
  CorpusInputs inputs(fixture.corpus, "none");
  const SampleStatistics stats = metric.statistics(inputs);
  const std::vector<std::size_t> rows = {8, 8, 3, 20, 35, 13, 0, 27, 27, 27};
  std::vector<double> resampled(4);
  metric.aggregate(stats, rows.data(), rows.size(), resampled.data());

  TextCorpus subset;
  for (const std::size_t row : rows) {
    subset.hypotheses.push_back(fixture.corpus.hypotheses[row]);
    subset.references.push_back(fixture.corpus.references[row]);
  }
  CorpusInputs subset_inputs(subset, "none");
  const std::vector<double> direct = corpus_values(metric, metric.statistics(subset_inputs));
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(resampled[k], direct[k]) << k;
  EXPECT_GT(direct[0], 0.0);

  // The closed forms: the reward levels are np.mean of their own column; RadCliQ's left-to-right
  // mean is left to aggregate().
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(metric.aggregation(k).kind, KeyAggregation::Kind::kMean);
    EXPECT_EQ(metric.aggregation(k).column, k);
  }
  EXPECT_EQ(metric.aggregation(3).kind, KeyAggregation::Kind::kNone);
  // No sample: np.mean([]) is NaN; RadEval's radgraph_radcliq returns 0.0.
  metric.aggregate(stats, rows.data(), 0, resampled.data());
  EXPECT_TRUE(std::isnan(resampled[0]));
  EXPECT_EQ(resampled[3], 0.0);
}

TEST(RadGraphMetric, SignaturesNameTheExtractorAndConvention) {
  const Fixture fixture = make_fixture();
  auto extractor = std::make_shared<HandWrittenExtractor>(fixture.graphs);
  const RadGraphMetric metric({extractor, RadGraphKeys::kAll});
  CorpusInputs inputs(fixture.corpus, "none");
  Signature partial("RadGraph_partial");
  metric.sign(1, inputs, partial);
  EXPECT_EQ(partial.format().substr(0, partial.format().rfind("|version:")),
            "RadGraph_partial|conv:f1radgraph|model:hand-written@test|clean:none|avg:np.mean|"
            "variant:partial|nrefs:1");
  Signature radcliq("RadGraph_radcliq");
  metric.sign(3, inputs, radcliq);
  EXPECT_EQ(radcliq.get("conv"), "radcliq-v1");
  EXPECT_EQ(radcliq.get("variant"), "entity-relation-mean");
  EXPECT_EQ(radcliq.get("model"), "hand-written@test");
}

class WrongCountExtractor final : public GraphExtractor {
 public:
  std::vector<Graph> extract(const std::vector<std::string>&) override { return {}; }
  std::string description() const override { return "broken"; }
};

TEST(RadGraphMetric, RejectsAMissingOrMiscountingExtractor) {
  EXPECT_THROW(RadGraphMetric({nullptr, RadGraphKeys::kAll}), std::invalid_argument);
  const RadGraphMetric metric({std::make_shared<WrongCountExtractor>(), RadGraphKeys::kAll});
  TextCorpus corpus;
  corpus.hypotheses = {"edema"};
  corpus.references = {{"no edema"}};
  CorpusInputs inputs(corpus);
  try {
    metric.statistics(inputs);
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "RadGraph: the extractor returned 0 graphs for 2 texts");
  }
}

}  // namespace
}  // namespace rrg::metrics::radgraph
