// `rrg evaluate` and `rrg compare` with BERTScore (docs/bertscore.md) on a tiny random BERT
// folder in the real Hugging Face layout: the CLI gives exactly the library's values (which
// tests/metrics/bertscore checks against an independent NumPy re-implementation), the flags
// reach the scorer, a second run is served by the cache, and bad settings fail before any
// report file is read.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "metrics/bertscore/bertscore_fixtures.h"
#include "rrg/metrics/bertscore/bertscore.h"
#include "support/test_support.h"

namespace {

using json = nlohmann::json;
using rrg::testing::run_rrg;
using rrg::testing::write_file;

const std::vector<std::string> kPredictions = {
    "Heart size is normal. Lungs are clear.", "Small left pleural effusion.",
    "No acute cardiopulmonary process.", "",
    "Mild cardiomegaly with a right lower lobe opacity, likely atelectasis."};
const std::vector<std::string> kReferences = {
    "The heart is normal in size and the lungs are clear.", "Left pleural effusion, small.",
    "No acute disease.", "Normal chest.", "Cardiomegaly. Right basilar atelectasis."};

class CliBertScore : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(rrg::testing::make_bertscore_folder(dir_.file("bert"), "bert"));
    std::string p, r;
    for (std::size_t i = 0; i < kPredictions.size(); ++i) {
      p += json{{"id", "c" + std::to_string(i)}, {"report", kPredictions[i]}}.dump() + "\n";
      r += json{{"id", "c" + std::to_string(i)}, {"report", kReferences[i]}}.dump() + "\n";
    }
    write_file(dir_.file("pred.jsonl"), p);
    write_file(dir_.file("ref.jsonl"), r);
  }

  std::vector<std::string> env() const {
    return {"RRG_TORCH_MODULE=" + std::string(RRG_BINARY_DIR) + "/librrg_torch.so"};
  }

  std::vector<std::string> args(const std::vector<std::string>& extra) const {
    std::vector<std::string> a = {"evaluate",
                                  "--pred",
                                  dir_.file("pred.jsonl"),
                                  "--ref",
                                  dir_.file("ref.jsonl"),
                                  "--metrics",
                                  "BERTScore",
                                  "--bertscore-model",
                                  dir_.file("bert"),
                                  "--bertscore-layer",
                                  "2",
                                  "--chexbert-threads",
                                  "1",
                                  "--cache",
                                  dir_.file("cache.sqlite"),
                                  "--json",
                                  "-"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  // The library's values for the same folder and settings.
  rrg::metrics::bertscore::BertScoreResult library(bool idf) const {
    rrg::metrics::bertscore::BertScoreOptions o;
    o.model_dir = dir_.file("bert");
    o.layer = 2;
    o.threads = 1;
    o.idf = idf;
    o.no_cache = true;
    std::vector<std::vector<std::string>> refs;
    for (const auto& r : kReferences) refs.push_back({r});
    return rrg::metrics::bertscore::BertScorer(o).score(kPredictions, refs);
  }

  void expect_library_values(const json& doc, bool idf) const {
    const auto want = library(idf);
    double sum = 0;
    for (std::size_t i = 0; i < kPredictions.size(); ++i) {
      const json& row = doc["per_sample"]["c" + std::to_string(i)];
      EXPECT_EQ(row["BERTScore_P"].get<double>(), want.samples[i].precision) << i;
      EXPECT_EQ(row["BERTScore_R"].get<double>(), want.samples[i].recall) << i;
      EXPECT_EQ(row["BERTScore_F1"].get<double>(), want.samples[i].f1) << i;
      sum += want.samples[i].f1;
    }
    EXPECT_NEAR(doc["corpus"]["BERTScore_F1"].get<double>(), sum / kPredictions.size(), 1e-15);
  }

  rrg::testing::TempDir dir_;
};

TEST_F(CliBertScore, ValuesAreTheLibrarysAndTheSecondRunIsCached) {
  rrg::testing::use_built_torch_module_for_bertscore();
  auto r = run_rrg(args({}), "", env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  expect_library_values(doc, false);
  EXPECT_EQ(doc["per_sample"]["c3"]["BERTScore_F1"], 0.0);  // empty candidate: bert_score's 0
  EXPECT_EQ(doc["corpus"].size(), 3u);
  const std::string signature = doc["signatures"]["BERTScore_F1"];
  for (const char* field : {"BERTScore_F1|model:", "|layer:2|", "|idf:no|", "|rescaled:no|",
                            "|dtype:fp32|", "|clean:none|", "|nrefs:1|"}) {
    EXPECT_NE(signature.find(field), std::string::npos) << field << " in " << signature;
  }
  EXPECT_NE(r.err.find("bertscore: 5 pairs (0 from cache)"), std::string::npos) << r.err;

  r = run_rrg(args({}), "", env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["per_sample"], doc["per_sample"]);
  EXPECT_NE(r.err.find("5 pairs (5 from cache)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0 computed"), std::string::npos) << r.err;  // no forward pass

  r = run_rrg(args({"--bertscore-idf", "--no-cache"}), "", env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json idf = json::parse(r.out);
  expect_library_values(idf, true);
  EXPECT_NE(idf["signatures"]["BERTScore_P"].get<std::string>().find("idf:yes"), std::string::npos);
}

TEST_F(CliBertScore, AConfiguredFolderJoinsAllAndCompareTestsIt) {
  std::vector<std::string> e = env();
  e.push_back("RRG_BERTSCORE_MODEL=" + dir_.file("bert"));
  auto r = run_rrg({"evaluate", "--pred", dir_.file("pred.jsonl"), "--ref", dir_.file("ref.jsonl"),
                    "--labeler", "none", "--bertscore-layer", "2", "--no-cache", "--json", "-"},
                   "", e);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_TRUE(doc["corpus"].contains("BLEU-4"));
  EXPECT_TRUE(doc["corpus"].contains("BERTScore_F1"));

  r = run_rrg(
      {"compare", "--ref", dir_.file("ref.jsonl"), "--sys", "a=" + dir_.file("pred.jsonl"), "--sys",
       "b=" + dir_.file("ref.jsonl"), "--metrics", "BERTScore_F1", "--bertscore-layer", "2",
       "--no-cache", "--ar-trials", "100", "--bootstrap", "50", "--json", "-"},
      "", e);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("BERTScore_F1"), std::string::npos) << r.out;
}

TEST_F(CliBertScore, BadSettingsFailBeforeReportsAreRead) {
  const std::vector<std::string> files = {"evaluate", "--pred", dir_.file("missing.jsonl"), "--ref",
                                          dir_.file("missing.jsonl")};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = files;
    a.insert(a.end(), extra.begin(), extra.end());
    return run_rrg(a, "", env());
  };
  auto r = with({"--metrics", "BERTScore"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bertscore-model DIR"), std::string::npos) << r.err;
  r = with({"--metrics", "BERTScore", "--bertscore-model", dir_.file("nowhere")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir_.file("nowhere")), std::string::npos) << r.err;
  r = with({"--metrics", "BERTScore", "--bertscore-model", dir_.file("bert"),
            "--bertscore-batch-size", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bertscore-batch-size"), std::string::npos) << r.err;
  r = with({"--metrics", "BERTScore", "--bertscore-model", dir_.file("bert"),
            "--bertscore-baseline", dir_.file("b.tsv")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bertscore-rescale"), std::string::npos) << r.err;
}

}  // namespace
