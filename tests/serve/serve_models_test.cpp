// `rrg serve --labeler chexbert --bertscore-model DIR --radgraph-model ARCHIVE` (issue 13:
// "Models (WordNet, CheXbert, BERTScore when configured) load once at start-up"): the real
// binary on a loopback port with the tiny CheXbert checkpoint
// (tests/labelers/chexbert/chexbert_fixtures.h, cli.pth), a tiny BERTScore folder
// (tests/metrics/bertscore/bertscore_fixtures.h) and a tiny RadGraph archive
// (tests/labelers/radgraph/radgraph_reference.py). /v1/score equals
// `rrg evaluate --json` and /v1/label equals `rrg annotate` on the same texts, request after
// request. What makes "loaded once" observable: the model files are removed once the server
// listens, so a server that (re)loaded anything for a request would fail it; no answer cache is
// used (--no-cache), so every request runs the models.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "labelers/chexbert/chexbert_fixtures.h"
#include "metrics/bertscore/bertscore_fixtures.h"
#include "serve_support.h"
#include "support/radiology_reports.h"

namespace {

using json = nlohmann::json;
using rrg::testing::HttpReply;
using rrg::testing::ServeProcess;
using rrg::testing::TempDir;

const std::vector<std::string> kMetrics = {"BERTScore", "clinical", "BLEU-4", "radgraph"};

std::string jsonl(const std::vector<std::string>& texts, std::size_t from, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += json{{"id", "s" + std::to_string(i)}, {"report", texts[from + i]}}.dump() + "\n";
  }
  return out;
}

class ServeModels : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string fixtures = rrg::testing::chexbert_fixture_dir();
    ASSERT_FALSE(fixtures.empty());
    // Copies of our own: they are removed while the server runs (the fixture set is shared).
    std::filesystem::create_directories(models_);
    std::filesystem::copy_file(fixtures + "/cli.pth", models_ + "/chexbert.pth");
    std::filesystem::copy_file(fixtures + "/vocab.txt", models_ + "/vocab.txt");
    ASSERT_TRUE(rrg::testing::make_bertscore_folder(models_ + "/bert", "bert"));
    // A tiny random RadGraph archive (as in tests/cli/radgraph_evaluate_cli_test.cpp).
    const auto made = rrg::testing::run_command(
        {"/usr/bin/python3",
         rrg::testing::source_dir() + "/tests/labelers/radgraph/radgraph_reference.py", "make",
         models_ + "/radgraph", "--archive", "--seed", "3"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  std::vector<std::string> chexbert_flags() const {
    return {"--labeler",
            "chexbert",
            "--chexbert-checkpoint",
            models_ + "/chexbert.pth",
            "--vocab",
            models_ + "/vocab.txt",
            "--chexbert-threads",
            "1",
            "--no-cache"};
  }
  std::vector<std::string> model_flags() const {
    std::vector<std::string> flags = chexbert_flags();
    const std::vector<std::string> more = {
        "--bertscore-model",    models_ + "/bert",
        "--bertscore-layer",    "2",
        "--radgraph-model",     models_ + "/radgraph/model.tar.gz",
        "--radgraph-tokenizer", models_ + "/radgraph/tokenizer"};
    flags.insert(flags.end(), more.begin(), more.end());
    return flags;
  }

  // `rrg evaluate --json -` on predictions texts[p..p+n) and references texts[r..r+n).
  json evaluate(std::size_t p, std::size_t r, std::size_t n) {
    const auto& texts = rrg::testing::radiology_reports();
    rrg::testing::write_file(dir_.file("pred.jsonl"), jsonl(texts, p, n));
    rrg::testing::write_file(dir_.file("ref.jsonl"), jsonl(texts, r, n));
    std::vector<std::string> args = {"evaluate",
                                     "--pred",
                                     dir_.file("pred.jsonl"),
                                     "--ref",
                                     dir_.file("ref.jsonl"),
                                     "--metrics",
                                     "BERTScore,clinical,BLEU-4,radgraph",
                                     "--json",
                                     "-",
                                     "-q"};
    for (const auto& f : model_flags()) args.push_back(f);
    const auto result = rrg::testing::run_rrg(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }

  // `rrg annotate` labels of texts[from..from+n), one object per report.
  std::vector<json> annotate(std::size_t from, std::size_t n) {
    const auto& texts = rrg::testing::radiology_reports();
    rrg::testing::write_file(dir_.file("reports.jsonl"), jsonl(texts, from, n));
    std::vector<std::string> args = {"annotate", "--in", dir_.file("reports.jsonl"), "--out",
                                     dir_.file("labels.jsonl")};
    for (const auto& f : chexbert_flags()) args.push_back(f);
    const auto result = rrg::testing::run_rrg(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<json> out;
    const std::string text = rrg::testing::read_file(dir_.file("labels.jsonl"));
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = text.find('\n', start);
      out.push_back(json::parse(text.substr(start, end - start))["labels"]);
      start = end + 1;
    }
    return out;
  }

  static json score_body(std::size_t p, std::size_t r, std::size_t n) {
    const auto& texts = rrg::testing::radiology_reports();
    json pairs = json::array();
    for (std::size_t i = 0; i < n; ++i) {
      pairs.push_back({{"id", "s" + std::to_string(i)},
                       {"prediction", texts[p + i]},
                       {"reference", texts[r + i]}});
    }
    return {{"pairs", pairs}, {"metrics", kMetrics}};
  }

  static json label_body(std::size_t from, std::size_t n) {
    const auto& texts = rrg::testing::radiology_reports();
    return {{"reports", std::vector<std::string>(texts.begin() + static_cast<long>(from),
                                                 texts.begin() + static_cast<long>(from + n))}};
  }

  TempDir dir_;
  std::string models_ = dir_.file("models");
};

TEST_F(ServeModels, ScoreAndLabelEqualTheCliWithModelsLoadedOnce) {
  // Two batches of pairs and two of reports; the CLI's answers first, from the same files.
  struct Batch {
    std::size_t p, r, n;
  };
  const std::vector<Batch> scores = {{0, 10, 10}, {20, 26, 6}};
  const std::vector<Batch> labels = {{30, 0, 8}, {40, 0, 5}};
  std::vector<json> want_scores;
  std::vector<std::vector<json>> want_labels;
  for (const auto& b : scores) want_scores.push_back(evaluate(b.p, b.r, b.n));
  for (const auto& b : labels) want_labels.push_back(annotate(b.p, b.n));
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(want_scores[0]["corpus"].contains("BERTScore_F1")) << want_scores[0]["corpus"].dump();
  ASSERT_TRUE(want_scores[0]["corpus"].contains("chexpert_micro_f1_14_uzeros"));
  ASSERT_TRUE(want_scores[0]["corpus"].contains("RadGraph_partial"));

  std::vector<std::string> args = {"-q"};
  for (const auto& f : model_flags()) args.push_back(f);
  ServeProcess server(args);
  ASSERT_TRUE(server.started()) << server.log();
  const json health = json::parse(rrg::testing::http_get(server.url("/v1/health")).body);
  EXPECT_EQ(health["labeler"].get<std::string>().rfind("chexbert@sha256:", 0), 0u) << health;
  const json metrics = json::parse(rrg::testing::http_get(server.url("/v1/metrics")).body);
  bool bertscore = false;
  for (const auto& scorer : metrics["scorers"]) {
    if (scorer["family"] == "bertscore") bertscore = scorer["available"].get<bool>();
  }
  EXPECT_TRUE(bertscore) << metrics.dump();

  // Everything was loaded at start-up: without the files the server still answers.
  std::filesystem::remove_all(models_);
  ASSERT_FALSE(std::filesystem::exists(models_));

  for (int round = 0; round < 3; ++round) {
    for (std::size_t b = 0; b < scores.size(); ++b) {
      const HttpReply reply = rrg::testing::http_post(
          server.url("/v1/score"), score_body(scores[b].p, scores[b].r, scores[b].n).dump());
      ASSERT_EQ(reply.status, 200) << "round " << round << ": " << reply.body << server.log();
      const json got = json::parse(reply.body);
      const json& want = want_scores[b];
      EXPECT_EQ(got["corpus"], want["corpus"]) << "round " << round << " batch " << b;
      EXPECT_EQ(got["per_sample"], want["per_sample"]) << "round " << round << " batch " << b;
      EXPECT_EQ(got["signatures"], want["signatures"]);
      EXPECT_EQ(got["clinical"], want["clinical"]);
    }
    for (std::size_t b = 0; b < labels.size(); ++b) {
      const HttpReply reply = rrg::testing::http_post(server.url("/v1/label"),
                                                      label_body(labels[b].p, labels[b].n).dump());
      ASSERT_EQ(reply.status, 200) << "round " << round << ": " << reply.body;
      const json got = json::parse(reply.body);
      EXPECT_EQ(got["labeler"], health["labeler"]);
      ASSERT_EQ(got["labels"].size(), want_labels[b].size());
      for (std::size_t i = 0; i < want_labels[b].size(); ++i) {
        EXPECT_EQ(got["labels"][i]["labels"], want_labels[b][i])
            << "round " << round << " batch " << b << " report " << i;
        EXPECT_FALSE(got["labels"][i].contains("error")) << got["labels"][i];
      }
    }
  }
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

}  // namespace
