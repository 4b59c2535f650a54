// The RadGraph metrics in `rrg evaluate` and `rrg compare` (docs/radgraph.md) on a random
// checkpoint in the real archive layout (tests/labelers/radgraph/radgraph_reference.py):
// - RadGraph_simple/_partial/_complete and RadGraph_radcliq equal the Python reward oracle
//   (tests/metrics/radgraph/radgraph_oracle.py) applied to the plain-torch reference's graphs;
// - RadCliQ-v1 (with a tiny CheXbert and a tiny 6-layer RoBERTa standing in for
//   distilroberta-base) equals NumPy's composite of the run's own component values;
// - a second run comes from the cache without libtorch; "all" includes RadGraph once it is
//   configured; missing models and bad checkpoints fail before any report file is read.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "labelers/chexbert/chexbert_fixtures.h"
#include "metrics/bertscore/bertscore_fixtures.h"
#include "metrics/radgraph/radgraph_oracle.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

using json = nlohmann::json;

std::string script() {
  return source_dir() + "/tests/labelers/radgraph/radgraph_reference.py";
}

// Pairs written for these tests: a repeated text, identical pair, an empty prediction.
const std::vector<std::string> kPredictions = {
    "No acute cardiopulmonary process. Lungs are clear.",
    "There is mild pulmonary edema (left lower lobe), may represent atelectasis.",
    "Heart size normal: no effusion, no pneumonia.",
    "",
    "Small right pleural effusion with adjacent atelectasis.",
    "No acute cardiopulmonary process. Lungs are clear.",
};
const std::vector<std::string> kReferences = {
    "Lungs are clear. No pleural effusion or pneumothorax.",
    "Mild interstitial edema, left lower lobe opacity may represent pneumonia.",
    "Heart size normal: no effusion, no pneumonia.",
    "Stable cardiomegaly.",
    "Right pleural effusion, small.",
    "No acute process.",
};

class RadGraphEvaluateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = tmp_.file("m");
    const CommandResult made =
        run_command({"/usr/bin/python3", script(), "make", model_, "--archive", "--seed", "3"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::string p, r;
    for (std::size_t i = 0; i < kPredictions.size(); ++i) {
      p += json{{"id", "s" + std::to_string(i)}, {"report", kPredictions[i]}}.dump() + "\n";
      r += json{{"id", "s" + std::to_string(i)}, {"report", kReferences[i]}}.dump() + "\n";
    }
    write_file(tmp_.file("pred.jsonl"), p);
    write_file(tmp_.file("ref.jsonl"), r);
  }

  std::vector<std::string> env() const {
    return {"RRG_TORCH_MODULE=" + std::string(RRG_BINARY_DIR) + "/librrg_torch.so"};
  }

  std::vector<std::string> evaluate(const std::vector<std::string>& extra) const {
    std::vector<std::string> a = {"evaluate",
                                  "--pred",
                                  tmp_.file("pred.jsonl"),
                                  "--ref",
                                  tmp_.file("ref.jsonl"),
                                  "--radgraph-model",
                                  model_ + "/model.tar.gz",
                                  "--radgraph-tokenizer",
                                  model_ + "/tokenizer",
                                  "--chexbert-threads",
                                  "1",
                                  "--cache",
                                  tmp_.file("cache.sqlite"),
                                  "--json",
                                  "-"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  // The plain-torch reference's graph of every text ("" is extracted as "None", as RadGraph
  // does), keyed by the text.
  std::map<std::string, json> reference_graphs() {
    std::vector<std::string> texts;
    for (const auto* side : {&kPredictions, &kReferences}) {
      for (const auto& t : *side) texts.push_back(t.empty() ? "None" : t);
    }
    write_file(tmp_.file("texts.json"), json(texts).dump());
    const CommandResult ref = run_command({"/usr/bin/python3", script(), "run", model_,
                                           tmp_.file("texts.json"), tmp_.file("ref.json")});
    EXPECT_EQ(ref.exit_code, 0) << ref.err;
    const json results = json::parse(read_file(tmp_.file("ref.json")));
    std::map<std::string, json> out;
    for (std::size_t i = 0; i < texts.size(); ++i) out[texts[i]] = results[i]["graph"];
    return out;
  }

  TempDir tmp_;
  std::string model_;
};

TEST_F(RadGraphEvaluateCliTest, RewardLevelsEqualTheOracleOnTheReferenceGraphs) {
  const CommandResult r = run_rrg(evaluate({"--metrics", "radgraph"}), "", env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);

  auto graphs = reference_graphs();
  json cases = json::array();
  for (std::size_t i = 0; i < kPredictions.size(); ++i) {
    json hypothesis = graphs[kPredictions[i].empty() ? "None" : kPredictions[i]];
    json reference = graphs[kReferences[i]];
    // The oracle scores a pair with an empty report 0 on the reward levels (F1RadGraph never
    // extracts it) from the text it is given.
    if (kPredictions[i].empty()) hypothesis["text"] = "";
    cases.push_back({{"hypothesis", hypothesis}, {"reference", reference}});
  }
  const RadGraphOracleAnswer oracle = run_radgraph_oracle({{"mode", "rewards"}, {"cases", cases}});
  if (!oracle.unavailable.empty()) GTEST_SKIP() << oracle.unavailable;
  const json& want = oracle.json;
  const std::vector<std::pair<std::string, std::string>> keys = {{"RadGraph_simple", "simple"},
                                                                 {"RadGraph_partial", "partial"},
                                                                 {"RadGraph_complete", "complete"},
                                                                 {"RadGraph_radcliq", "radcliq"}};
  bool some_nonzero = false;
  for (std::size_t i = 0; i < kPredictions.size(); ++i) {
    const json& row = doc["per_sample"]["s" + std::to_string(i)];
    for (const auto& [key, field] : keys) {
      EXPECT_NEAR(row[key].get<double>(), want["samples"][i][field].get<double>(), 1e-12)
          << key << " sample " << i;
      some_nonzero = some_nonzero || row[key].get<double>() > 0;
    }
  }
  EXPECT_TRUE(some_nonzero) << "the random checkpoint found nothing: the test compares zeros";
  EXPECT_EQ(doc["per_sample"]["s2"]["RadGraph_complete"], want["samples"][2]["complete"]);
  for (const auto& [key, field] : keys) {
    EXPECT_NEAR(doc["corpus"][key].get<double>(), want["mean"][field].get<double>(), 1e-12) << key;
    const std::string signature = doc["signatures"][key];
    EXPECT_NE(signature.find("radgraph(dataset=radgraph"), std::string::npos) << signature;
  }
  EXPECT_EQ(doc["corpus"].size(), 4u);
  // Two scorers share the extractor: each distinct text goes through the model once.
  EXPECT_NE(r.err.find("RadGraph: 6 pairs, 8 distinct texts (0 already extracted)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("RadGraph: 6 pairs, 10 distinct texts (8 already extracted)"),
            std::string::npos)
      << r.err;

  // Again from the SQLite cache, with the libtorch module path broken: same values.
  const CommandResult again =
      run_rrg(evaluate({"--metrics", "radgraph"}), "", {"RRG_TORCH_MODULE=" + tmp_.file("x.so")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["per_sample"], doc["per_sample"]);
}

TEST_F(RadGraphEvaluateCliTest, RadCliqIsTheCompositeOfTheRunsOwnComponents) {
  const std::string chexbert = chexbert_fixture_dir();
  ASSERT_FALSE(chexbert.empty());
  const std::string roberta = tmp_.file("distilroberta");
  ASSERT_TRUE(make_bertscore_folder(roberta, "roberta", {"--layers", "6"}));
  const std::vector<std::string> flags = {
      "--labeler", "chexbert", "--chexbert-checkpoint", chexbert + "/cli.pth", "--vocab",
      chexbert + "/vocab.txt",
      // RadCliQ's BERTScore, and the same settings as a visible component to compare with.
      "--radcliq-bertscore-model", roberta, "--bertscore-model", roberta, "--bertscore-model-name",
      "distilroberta-base", "--bertscore-layer", "5", "--bertscore-idf", "--bertscore-rescale",
      "--metrics", "RadCliQ-v1,RadGraph_radcliq,BERTScore_F1,chexbert_similarity,Bleu_2"};
  for (const char* coefficients : {"radeval", "cxr-report-metric"}) {
    std::vector<std::string> extra = flags;
    extra.insert(extra.end(), {"--radcliq-coefficients", coefficients});
    const CommandResult r = run_rrg(evaluate(extra), "", env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json doc = json::parse(r.out);
    json features = json::array();
    for (std::size_t i = 0; i < kPredictions.size(); ++i) {
      const json& row = doc["per_sample"]["s" + std::to_string(i)];
      const json& semb = row["chexbert_similarity"];
      features.push_back({row["RadGraph_radcliq"], row["BERTScore_F1"],
                          semb.is_null() ? 0.0 : semb.get<double>(), row["Bleu_2"]});
    }
    const RadGraphOracleAnswer oracle =
        run_radgraph_oracle({{"mode", "radcliq"}, {"model", coefficients}, {"features", features}});
    if (!oracle.unavailable.empty()) GTEST_SKIP() << oracle.unavailable;
    for (std::size_t i = 0; i < kPredictions.size(); ++i) {
      const double got = doc["per_sample"]["s" + std::to_string(i)]["RadCliQ-v1"].get<double>();
      EXPECT_NEAR(got, oracle.json["samples"][i].get<double>(), 1e-9) << "sample " << i;
    }
    EXPECT_NEAR(doc["corpus"]["RadCliQ-v1"].get<double>(), oracle.json["corpus"].get<double>(),
                1e-9);
    const std::string signature = doc["signatures"]["RadCliQ-v1"];
    for (const std::string& field :
         {std::string("coefs:") + coefficients, std::string("radgraph:[RadGraph_radcliq,"),
          std::string("bertscore:[BERTScore_F1,model:distilroberta-base,layer:5,"),
          std::string(",idf:yes,rescaled:yes,"), std::string("semb:[chexbert_similarity,"),
          std::string("bleu2:[Bleu_2,")}) {
      EXPECT_NE(signature.find(field), std::string::npos) << field << " in " << signature;
    }
  }
}

TEST_F(RadGraphEvaluateCliTest, AllIncludesRadGraphAndCompareScoresIt) {
  CommandResult r = run_rrg(evaluate({"--labeler", "none"}), "", env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_TRUE(doc["corpus"].contains("BLEU-4"));
  EXPECT_TRUE(doc["corpus"].contains("RadGraph_partial"));
  EXPECT_TRUE(doc["corpus"].contains("RadGraph_radcliq"));
  EXPECT_FALSE(doc["corpus"].contains("RadCliQ-v1"));  // its BERTScore model is not configured

  r = run_rrg({"compare", "--ref", tmp_.file("ref.jsonl"), "--sys", "a=" + tmp_.file("pred.jsonl"),
               "--sys", "b=" + tmp_.file("ref.jsonl"), "--metrics", "RadGraph_partial",
               "--radgraph-model", model_ + "/model.tar.gz", "--radgraph-tokenizer",
               model_ + "/tokenizer", "--cache", tmp_.file("cache.sqlite"), "--json", "-"},
              "", env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("RadGraph_partial"), std::string::npos) << r.out;
}

TEST_F(RadGraphEvaluateCliTest, MissingModelsAndBadCheckpointsFailBeforeReading) {
  // Every run names a prediction file that does not exist: the model problem must come first.
  const auto with_missing_input = [&](std::vector<std::string> a) {
    a[2] = tmp_.file("absent.jsonl");
    return a;
  };
  std::vector<std::string> no_model = evaluate({"--metrics", "RadGraph_simple"});
  no_model.erase(no_model.begin() + 5, no_model.begin() + 9);
  CommandResult r = run_rrg(with_missing_input(no_model), "", env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--radgraph-model"), std::string::npos) << r.err;

  r = run_rrg(with_missing_input(evaluate({"--metrics", "radcliq", "--labeler", "rules"})), "",
              env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--radcliq-bertscore-model"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--labeler chexbert"), std::string::npos) << r.err;

  write_file(tmp_.file("broken.tar.gz"), "not an archive");
  std::vector<std::string> broken = evaluate({"--metrics", "radgraph"});
  broken[6] = tmp_.file("broken.tar.gz");
  r = run_rrg(with_missing_input(broken), "", env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("broken.tar.gz"), std::string::npos) << r.err;

  r = run_rrg(evaluate({"--metrics", "radgraph", "--radcliq-radgraph-tokenizer", model_}), "",
              env());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--radcliq-radgraph-model"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rrg::testing
