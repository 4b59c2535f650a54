// The chexbert labeler end to end (texts -> preprocessing -> WordPiece -> libtorch module ->
// labels), against the Python references: tests/text/wordpiece_reference.py for the token ids
// and tests/labelers/chexbert/chexbert_reference.py (plain torch.nn, python3-torch) for the logits,
// labels and [CLS] embeddings of 60+ reports; plus dedup, the SQLite cache, identity and errors.
#include "rrg/labelers/chexbert/chexbert.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "labelers/chexbert/chexbert_fixtures.h"
#include "rrg/core/errors.h"
#include "rrg/labelers/registry.h"
#include "support/json_lines.h"
#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

using labelers::ChexbertLabeler;
using labelers::ChexbertOptions;

constexpr double kTolerance = 1e-5;  // issue 6: logits equal PyTorch's within 1e-5

std::vector<std::string> report_texts() {
  std::vector<std::string> texts = radiology_reports();
  for (const auto& t : tokenizer_edge_texts()) texts.push_back(t);
  std::string long_report;
  for (int i = 0; i < 130; ++i) long_report += "Mild cardiomegaly with small effusions. ";
  texts.push_back(long_report);
  return texts;
}

std::string label_text_of(chexpert::Label label) {
  const auto t = chexpert::label_text(label);
  return t.empty() ? "null" : std::string(t);
}

class ChexbertLabelerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { use_built_torch_module(); }
  void SetUp() override {
    dir_ = chexbert_fixture_dir();
    ASSERT_FALSE(dir_.empty());
  }
  ChexbertOptions options(const std::string& checkpoint = "zip.pth") const {
    ChexbertOptions o;
    o.checkpoint = dir_ + "/" + checkpoint;
    o.vocab = dir_ + "/vocab.txt";
    o.attention_heads = kTinyHeads;
    o.threads = 1;  // tests share busy cores
    o.cache_path = cache_.file("cache.sqlite");
    return o;
  }
  std::string dir_;
  TempDir cache_;
};

TEST_F(ChexbertLabelerTest, LogitsLabelsAndEmbeddingsMatchPyTorch) {
  const auto texts = report_texts();
  ASSERT_GE(texts.size(), 50u);
  const auto ids = reference_chexbert_ids(texts, dir_ + "/vocab.txt");
  ASSERT_EQ(ids.size(), texts.size());
  const auto reference = nlohmann::json::parse(run_chexbert_reference(dir_ + "/zip.pth", ids));

  ChexbertOptions o = options();
  o.batch_size = 8;
  ChexbertLabeler labeler(o);
  const auto outputs = labeler.run(texts);
  const auto labels = labeler.label(texts);
  ASSERT_EQ(outputs.size(), texts.size());
  double worst_logit = 0, worst_cls = 0;
  std::size_t non_blank = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto want_logits = reference["logits"][i].get<std::vector<double>>();
    const auto want_cls = reference["cls"][i].get<std::vector<double>>();
    ASSERT_EQ(outputs[i].logits.size(), want_logits.size());
    ASSERT_EQ(outputs[i].embedding.size(), want_cls.size());
    for (std::size_t k = 0; k < want_logits.size(); ++k) {
      worst_logit = std::max(worst_logit, std::abs(outputs[i].logits[k] - want_logits[k]));
    }
    for (std::size_t k = 0; k < want_cls.size(); ++k) {
      worst_cls = std::max(worst_cls, std::abs(outputs[i].embedding[k] - want_cls[k]));
    }
    for (std::size_t head = 0; head < chexpert::kNumObservations; ++head) {
      EXPECT_EQ(label_text_of(outputs[i].labels[head]), reference["labels"][i][head].dump())
          << "text " << i << " head " << head;
      EXPECT_EQ(labels[i].labels[head], outputs[i].labels[head]);
      non_blank += outputs[i].labels[head] != chexpert::Label::kBlank;
    }
    EXPECT_TRUE(labels[i].error.empty());
  }
  EXPECT_LT(worst_logit, kTolerance);
  EXPECT_LT(worst_cls, kTolerance);
  EXPECT_GT(non_blank, texts.size());  // the random model gives varied labels
  // Every distinct preprocessed text ran once, in length-sorted batches of at most 8.
  const auto& stats = labeler.stats();
  EXPECT_EQ(stats.computed, stats.texts);
  EXPECT_GE(stats.batches, stats.texts / 8);
}

TEST_F(ChexbertLabelerTest, IdenticalTextsRunOnceAndTheCacheServesTheNextRun) {
  const std::vector<std::string> texts = {"No acute process.", "no acute  process.",
                                          "No acute process.\n", "Small left effusion.",
                                          "No acute process."};
  std::vector<labelers::ChexbertOutput> first;
  {
    ChexbertLabeler labeler(options());
    first = labeler.run(texts);
    EXPECT_EQ(labeler.stats().texts, 3u);  // "No acute process." after preprocessing, ...
    EXPECT_EQ(labeler.stats().computed, 3u);
    EXPECT_EQ(labeler.stats().from_cache, 0u);
    labeler.run(texts);  // remembered: nothing new
    EXPECT_EQ(labeler.stats().computed, 3u);
  }
  ChexbertLabeler again(options());
  const auto second = again.run(texts);
  EXPECT_EQ(again.stats().from_cache, 3u);
  EXPECT_EQ(again.stats().computed, 0u);
  EXPECT_EQ(again.stats().batches, 0u);
  ASSERT_EQ(second.size(), first.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(second[i].logits, first[i].logits);
    EXPECT_EQ(second[i].embedding, first[i].embedding);
    EXPECT_EQ(second[i].labels, first[i].labels);
  }
  EXPECT_NE(again.summary().find("3 from cache, 0 computed"), std::string::npos) << again.summary();

  ChexbertOptions no_cache = options();
  no_cache.no_cache = true;
  ChexbertLabeler uncached(no_cache);
  uncached.run(texts);
  EXPECT_EQ(uncached.stats().computed, 3u);
}

TEST_F(ChexbertLabelerTest, IdentityIsTheCheckpointSha256) {
  const CommandResult r = run_command({"sha256sum", dir_ + "/zip.pth"});
  ASSERT_EQ(r.exit_code, 0);
  const std::string digest = r.out.substr(0, 64);
  ChexbertLabeler labeler(options());
  EXPECT_EQ(labeler.identity(), "chexbert@sha256:" + digest);
  EXPECT_EQ(labeler.name(), "chexbert");
  ChexbertLabeler remembered(options());  // digest now from the cache's file-sha256 entry
  EXPECT_EQ(remembered.identity(), "chexbert@sha256:" + digest);
  ChexbertOptions int8 = options();
  int8.int8 = true;
  EXPECT_EQ(ChexbertLabeler(int8).identity(), "chexbert@sha256:" + digest + "+int8");
}

TEST_F(ChexbertLabelerTest, BatchSizeDoesNotChangeLabels) {
  const auto texts = report_texts();
  ChexbertOptions one = options(), many = options();
  one.batch_size = 1;
  one.no_cache = many.no_cache = true;
  many.batch_size = 64;
  const auto a = ChexbertLabeler(one).run(texts);
  const auto b = ChexbertLabeler(many).run(texts);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(a[i].labels, b[i].labels) << i;
    for (std::size_t k = 0; k < a[i].logits.size(); ++k) {
      EXPECT_NEAR(a[i].logits[k], b[i].logits[k], kTolerance);
    }
  }
}

TEST_F(ChexbertLabelerTest, RegistryBuildsIt) {
  labelers::LabelerOptions o;
  o.chexbert = options();
  const auto labeler = labelers::make_labeler("chexbert", o);
  EXPECT_EQ(labeler->name(), "chexbert");
  EXPECT_EQ(labeler->label({"No acute process."}).size(), 1u);
}

TEST_F(ChexbertLabelerTest, ClearErrors) {
  const auto message = [](const ChexbertOptions& o) -> std::string {
    try {
      ChexbertLabeler labeler(o);
      labeler.label({"No acute process."});
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no InputError)";
  };
  ChexbertOptions o = options();
  o.checkpoint.clear();
  EXPECT_NE(message(o).find("needs --chexbert-checkpoint"), std::string::npos) << message(o);
  o = options();
  o.vocab = dir_ + "/absent.txt";
  EXPECT_NE(message(o).find("absent.txt: no such file (--vocab"), std::string::npos) << message(o);
  // A vocabulary that does not fit the checkpoint's embeddings.
  TempDir tmp;
  write_file(tmp.file("big.txt"), chexbert_test_vocab() + "extra\n");
  o = options();
  o.vocab = tmp.file("big.txt");
  EXPECT_NE(message(o).find("has 321 tokens but the word embeddings of"), std::string::npos)
      << message(o);
  o = options("missing.pth");
  EXPECT_NE(message(o).find("missing keys (2)"), std::string::npos) << message(o);
}

}  // namespace
}  // namespace rrg::testing
