// The RadGraph extractor (src/labelers/radgraph/ + the module's "radgraph" kind) against the
// plain-torch reference tests/labelers/radgraph/radgraph_reference.py (Debian's python3-torch):
// small random checkpoints in the real archive layout (model.tar.gz with config.json, weights.th
// under the real names, vocabulary/), span scores within 1e-5 on a padded batch, identical
// graphs from the archive and from the folder, RadGraph's and RadGraph-XL's preprocessing, the
// encoder's segment folding (max_length 16 pieces), the cache, and errors naming the file.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "rrg/core/errors.h"
#include "rrg/core/torch_module.h"
#include "rrg/labelers/radgraph/radgraph.h"
#include "rrg/metrics/radgraph/graph_json.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

namespace rg = rrg::labelers::radgraph;
constexpr double kTolerance = 1e-5;

const std::vector<std::string> kTexts = {
    "No acute cardiopulmonary process. Lungs are clear.",
    "There is mild pulmonary edema/effusion (left lower lobe), may represent atelectasis or "
    "pneumonia; unchanged since prior x 2.5 cm.",
    "",
    "   ",
    "ET tube 2.5 cm above the carina. Moderate hiatal hernia!",
    "heart size normal:no effusion,no pneumonia?unchanged 5% (prior).'clear'",
    "No acute cardiopulmonary process. Lungs are clear.",  // a repeat: processed once
    "There is a right lower lobe opacity which may represent atelectasis or pneumonia and a "
    "small left pleural effusion with mild pulmonary edema; the heart size is normal and the "
    "tube is 5 cm above the carina, unchanged since the prior exam of the lungs.",
    "Line\\nwith\\\"escapes\\\" and\ttabs\n\nand\xc2\xa0nbsp \xe2\x80\x94 dash",
};

std::string script() {
  return source_dir() + "/tests/labelers/radgraph/radgraph_reference.py";
}

void make(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/python3", script(), "make", dir, "--archive"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult r = run_command(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

nlohmann::json reference(const std::string& dir, const std::vector<std::string>& texts) {
  write_file(dir + "/texts.json", nlohmann::json(texts).dump());
  const CommandResult r = run_command(
      {"/usr/bin/python3", script(), "run", dir, dir + "/texts.json", dir + "/ref.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(read_file(dir + "/ref.json"));
}

rg::RadGraphOptions options(const std::string& dir, const std::string& checkpoint) {
  rg::RadGraphOptions o;
  o.checkpoint = checkpoint;
  o.tokenizer_dir = dir + "/tokenizer";
  o.threads = 1;
  o.batch_size = 3;
  o.no_cache = true;
  o.scratch_dir = dir;
  return o;
}

class RadGraphExtractorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::setenv("RRG_TORCH_MODULE", (std::string(RRG_BINARY_DIR) + "/librrg_torch.so").c_str(), 1);
  }
  TempDir tmp_;
};

// The graphs of `texts` equal the reference's, key by key.
void expect_same_graphs(const std::vector<metrics::radgraph::Graph>& got,
                        const nlohmann::json& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto g = nlohmann::json::parse(metrics::radgraph::graph_to_radgraph_line(got[i]));
    EXPECT_EQ(g["text"], want[i]["graph"]["text"]) << "text " << i;
    EXPECT_EQ(g["entities"], want[i]["graph"]["entities"]) << "text " << i;
  }
}

// The module's outputs on the reference's word pieces (all non-empty texts in one batch).
std::vector<TorchOutput> run_module(const std::string& dir, const nlohmann::json& ref,
                                    const std::string& int8) {
  auto model = TorchModel::load("radgraph", {{"weights", dir + "/checkpoint/weights.th"},
                                             {"ner_namespace", "radgraph__ner_labels"},
                                             {"relation_namespace", "radgraph__relation_labels"},
                                             {"max_span_width", "4"},
                                             {"spans_per_word", "0.5"},
                                             {"max_length", "16"},
                                             {"cls_id", "2"},
                                             {"sep_id", "3"},
                                             {"heads", "4"},
                                             {"threads", "1"},
                                             {"int8", int8}});
  EXPECT_EQ(nlohmann::json::parse(model->description())["int8"].get<bool>(), int8 == "1");
  std::int64_t p = 1, w = 1, b = 0;
  for (const auto& x : ref) {
    if (x["words"].empty()) continue;
    ++b;
    p = std::max<std::int64_t>(p, x["pieces"].size());
    w = std::max<std::int64_t>(w, x["words"].size());
  }
  std::vector<std::int64_t> ids(b * p, 0), pc(b), ranges(b * w * 2, -1), wc(b);
  std::int64_t r = 0;
  for (const auto& x : ref) {
    if (x["words"].empty()) continue;
    for (std::size_t k = 0; k < x["pieces"].size(); ++k) ids[r * p + k] = x["pieces"][k];
    pc[r] = static_cast<std::int64_t>(x["pieces"].size());
    wc[r] = static_cast<std::int64_t>(x["words"].size());
    for (std::size_t k = 0; k < x["ranges"].size(); ++k) {
      ranges[(r * w + k) * 2] = x["ranges"][k][0];
      ranges[(r * w + k) * 2 + 1] = x["ranges"][k][1];
    }
    ++r;
  }
  return model->run({{TorchDtype::kInt64, {b, p}, ids.data()},
                     {TorchDtype::kInt64, {b}, pc.data()},
                     {TorchDtype::kInt64, {b, w, 2}, ranges.data()},
                     {TorchDtype::kInt64, {b}, wc.data()}});
}

TEST_F(RadGraphExtractorTest, SpanScoresMatchPlainTorchWithin1e5OnAPaddedBatch) {
  const std::string dir = tmp_.file("m");
  make(dir, {});
  const auto ref = reference(dir, kTexts);
  std::vector<std::size_t> rows;  // the texts with words, in the module's batch order
  for (std::size_t i = 0; i < ref.size(); ++i) {
    if (!ref[i]["words"].empty()) rows.push_back(i);
  }
  const auto b = static_cast<std::int64_t>(rows.size());
  const auto out = run_module(dir, ref, "0");
  ASSERT_EQ(out.size(), 4u);
  const std::int64_t s_max = out[0].shape[1], n = out[0].shape[2], k_max = out[2].shape[1];
  const std::int64_t nr = out[3].shape[3];
  EXPECT_EQ(n, 5);
  EXPECT_EQ(nr, 4);
  double worst = 0;
  std::size_t compared = 0;
  for (std::int64_t r = 0; r < b; ++r) {
    const auto& x = ref[rows[r]];
    for (std::size_t s = 0; s < x["ner"].size(); ++s) {
      for (std::int64_t c = 0; c < n; ++c) {
        worst = std::max(
            worst, std::abs(out[0].data[(r * s_max + s) * n + c] - x["ner"][s][c].get<double>()));
        ++compared;
      }
      worst = std::max(worst, std::abs(out[1].data[r * s_max + s] - x["mention"][s].get<double>()));
    }
    const auto& top = x["top"];
    for (std::size_t k = 0; k < top.size(); ++k) {
      EXPECT_EQ(out[2].data[r * k_max + k], top[k].get<double>()) << "row " << r << " top " << k;
    }
    if (top.size() < static_cast<std::size_t>(k_max)) {
      EXPECT_EQ(out[2].data[r * k_max + top.size()], -1);
    }
    for (std::size_t i = 0; i < top.size(); ++i) {
      for (std::size_t j = 0; j < top.size(); ++j) {
        for (std::int64_t c = 0; c < nr; ++c) {
          worst = std::max(worst, std::abs(out[3].data[((r * k_max + i) * k_max + j) * nr + c] -
                                           x["relations"][i][j][c].get<double>()));
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 1000u);
  EXPECT_LT(worst, kTolerance);
}

// int8: NER and mention scores within quantisation error of fp32, and the extractor says so in
// its description (signatures, cache keys).
TEST_F(RadGraphExtractorTest, Int8ScoresStayCloseToFp32AndAreNamed) {
  const std::string dir = tmp_.file("q");
  make(dir, {"--seed", "7"});
  const auto ref = reference(dir, kTexts);
  const auto fp32 = run_module(dir, ref, "0");
  const auto int8 = run_module(dir, ref, "1");
  ASSERT_EQ(fp32.size(), 4u);
  ASSERT_EQ(int8.size(), 4u);
  ASSERT_EQ(fp32[0].data.size(), int8[0].data.size());
  double worst = 0, largest = 0;
  for (std::size_t i = 0; i < fp32[0].data.size(); ++i) {
    if (fp32[0].data[i] < -1e20) continue;  // padding
    worst = std::max(worst, static_cast<double>(std::abs(fp32[0].data[i] - int8[0].data[i])));
    largest = std::max(largest, static_cast<double>(std::abs(fp32[0].data[i])));
  }
  EXPECT_GT(worst, 0.0);  // really quantised
  EXPECT_LT(worst, 0.05 * std::max(1.0, largest)) << "largest score " << largest;

  rg::RadGraphOptions o = options(dir, dir + "/model.tar.gz");
  const std::string plain = rg::make_radgraph_extractor(o)->description();
  o.int8 = true;
  auto quantised = rg::make_radgraph_extractor(o);
  EXPECT_EQ(quantised->description().find(",int8,"), plain.size() - 4) << plain;
  EXPECT_EQ(quantised->extract(kTexts).size(), kTexts.size());
  // Threads decide no number, so they are not in the description.
  o.int8 = false;
  o.threads = 2;
  EXPECT_EQ(rg::make_radgraph_extractor(o)->description(), plain);
}

TEST_F(RadGraphExtractorTest, GraphsEqualTheReferenceFromArchiveAndFolder) {
  for (const std::string dataset : {"radgraph", "radgraph-xl"}) {
    const std::string dir = tmp_.file(dataset);
    make(dir, {"--dataset", dataset, "--seed", dataset == "radgraph" ? "1" : "3"});
    const auto ref = reference(dir, kTexts);
    std::size_t entities = 0, relations = 0, spans = 0;
    for (const auto& r : ref) {
      spans += r["ner"].size();
      for (const auto& [k, e] : r["graph"]["entities"].items()) {
        ++entities;
        relations += e["relations"].size();
      }
    }
    EXPECT_GT(entities, 20u);
    EXPECT_GT(relations, 5u);
    EXPECT_LT(entities, spans);  // the null label wins for some spans
    for (const std::string& checkpoint : {dir + "/model.tar.gz", dir + "/checkpoint"}) {
      SCOPED_TRACE(dataset + " " + checkpoint);
      auto extractor = rg::make_radgraph_extractor(options(dir, checkpoint));
      const auto graphs = extractor->extract(kTexts);
      expect_same_graphs(graphs, ref);
      EXPECT_NE(extractor->description().find("dataset=" + dataset), std::string::npos);
    }
    // The words are the package's preprocessing of each text.
    const auto kind =
        dataset == "radgraph" ? rg::Preprocessing::kRadGraph : rg::Preprocessing::kRadGraphXl;
    for (std::size_t i = 0; i < kTexts.size(); ++i) {
      if (kTexts[i].empty()) continue;  // the reference feeds "None" too
      EXPECT_EQ(nlohmann::json(rg::preprocess_words(kTexts[i], kind)), ref[i]["words"]) << i;
    }
  }
}

TEST_F(RadGraphExtractorTest, CachedGraphsEqualFreshOnes) {
  const std::string dir = tmp_.file("c");
  make(dir, {"--seed", "5"});
  const auto ref = reference(dir, kTexts);
  rg::RadGraphOptions o = options(dir, dir + "/model.tar.gz");
  o.no_cache = false;
  o.cache_path = dir + "/cache.sqlite";
  expect_same_graphs(rg::make_radgraph_extractor(o)->extract(kTexts), ref);
  // A second extractor reads every graph from the cache (same results).
  expect_same_graphs(rg::make_radgraph_extractor(o)->extract(kTexts), ref);
  EXPECT_TRUE(std::filesystem::exists(o.cache_path));
}

TEST_F(RadGraphExtractorTest, ReportsProgressKeepsGraphsInMemoryAndStopsWhenCancelled) {
  const std::string dir = tmp_.file("p");
  make(dir, {"--seed", "6"});
  const auto ref = reference(dir, kTexts);
  rg::RadGraphOptions o = options(dir, dir + "/model.tar.gz");
  o.batch_size = 1;
  o.no_cache = false;
  o.cache_path = dir + "/cache.sqlite";
  auto extractor = rg::make_radgraph_extractor(o);
  Job* job = extractor->job();
  ASSERT_NE(job, nullptr);
  const std::size_t distinct = std::set<std::string>(kTexts.begin(), kTexts.end()).size();
  expect_same_graphs(extractor->extract(kTexts), ref);
  const JobProgress p = job->progress();
  EXPECT_EQ(p.total, distinct);
  EXPECT_EQ(p.done, distinct);
  EXPECT_EQ(p.cached, 0u);
  // The same texts again: from the extractor's memory, and the same graphs.
  expect_same_graphs(extractor->extract(kTexts), ref);
  EXPECT_EQ(job->progress().cached, distinct);

  // A cancelled extractor stops before its first batch with the texts it has not seen; what
  // earlier batches extracted is in the cache (a fresh extractor finds all of kTexts there).
  auto other = rg::make_radgraph_extractor(o);
  Job* other_job = other->job();
  ASSERT_NE(other_job, nullptr);
  other_job->cancel();
  EXPECT_THROW(other->extract({"Heart size is normal in this test."}), std::runtime_error);
  auto fresh = rg::make_radgraph_extractor(o);
  expect_same_graphs(fresh->extract(kTexts), ref);
  EXPECT_EQ(fresh->job()->progress().cached, distinct);
}

TEST_F(RadGraphExtractorTest, UnusableCheckpointsAreNamed) {
  const std::string dir = tmp_.file("bad");
  make(dir, {});
  write_file(dir + "/not.tar.gz", "this is not an archive");
  try {
    rg::make_radgraph_extractor(options(dir, dir + "/not.tar.gz"))->extract({"x"});
    FAIL() << "expected an InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not.tar.gz"), std::string::npos) << e.what();
  }
  std::filesystem::remove(dir + "/checkpoint/vocabulary/radgraph__relation_labels.txt");
  try {
    rg::make_radgraph_extractor(options(dir, dir + "/checkpoint"))->extract({"x"});
    FAIL() << "expected an InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("relation_labels"), std::string::npos) << e.what();
  }
  try {
    rg::make_radgraph_extractor(options(dir, dir + "/missing"))->extract({"x"});
    FAIL() << "expected an InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rrg::testing
