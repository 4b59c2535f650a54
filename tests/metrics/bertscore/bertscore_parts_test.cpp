// The torch-free parts of BERTScore: bert_score's layer table, the shipped rescaling baselines
// and their file format, and greedy matching on hand-made embeddings (its padding quirk, empty
// texts and NaN rules).
#include <gtest/gtest.h>

#include <cmath>

#include "rrg/core/errors.h"
#include "rrg/metrics/bertscore/baselines.h"
#include "rrg/metrics/bertscore/greedy_matching.h"
#include "rrg/metrics/bertscore/model_layers.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

using namespace rrg::metrics::bertscore;

TEST(BertScoreLayersTest, BertScoreDefaults) {
  EXPECT_EQ(default_layer("roberta-large"), 17);
  EXPECT_EQ(default_layer("roberta-base"), 10);
  EXPECT_EQ(default_layer("distilroberta-base"), 5);
  EXPECT_EQ(default_layer("bert-base-uncased"), 9);
  EXPECT_EQ(default_layer("bert-large-uncased"), 18);
  EXPECT_EQ(default_layer("distilbert-base-uncased"), 5);
  EXPECT_EQ(default_layer("allenai/scibert_scivocab_uncased"), 8);
  EXPECT_FALSE(default_layer("microsoft/BiomedVLP-CXR-BERT-general").has_value());
  EXPECT_GT(layer_table().size(), 40u);
}

TEST(BertScoreBaselineTest, ShippedRowsAreBertScoresFloat32Values) {
  const Baseline b = load_baseline("", "roberta-large", 17);
  EXPECT_EQ(b.precision, static_cast<double>(0.83150584f));
  EXPECT_EQ(b.recall, static_cast<double>(0.8314941f));
  EXPECT_EQ(b.f1, static_cast<double>(0.83122575f));
  EXPECT_EQ(b.source, "bert_score-0.3.13:en/roberta-large.tsv");
  EXPECT_EQ(load_baseline("", "distilbert-base-uncased", 5).f1, static_cast<double>(0.66620487f));
  EXPECT_EQ(load_baseline("", "bert-base-uncased", 9).precision, static_cast<double>(0.35375935f));
  for (const std::string& model : shipped_baseline_models()) {
    // Every shipped table parses and has a row for bert_score's default layer.
    const auto layer = default_layer(model);
    ASSERT_TRUE(layer.has_value()) << model;
    EXPECT_NO_THROW(load_baseline("", model, *layer)) << model;
  }
  EXPECT_EQ(parse_baseline_table(*shipped_baseline("roberta-large"), "x").size(), 25u);
}

TEST(BertScoreBaselineTest, FileFormatErrorsNameTheFile) {
  TempDir tmp;
  const auto error_of = [&](const std::string& content, int layer) -> std::string {
    write_file(tmp.file("b.tsv"), content);
    try {
      load_baseline(tmp.file("b.tsv"), "any", layer);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_NE(error_of("LAYER\tP\tR\tF\n0\t1\t1\t1\n", 0).find("b.tsv:1: expected the header"),
            std::string::npos);
  EXPECT_NE(error_of("LAYER,P,R,F\n0,0.1,x,0.3\n", 0).find("b.tsv:2: expected LAYER,P,R,F"),
            std::string::npos);
  EXPECT_NE(error_of("LAYER,P,R,F\r\n0,0.1,0.2,0.3\r\n", 1).find("no baseline row for layer 1"),
            std::string::npos);
  EXPECT_EQ(error_of("LAYER,P,R,F\r\n0,0.1,0.2,0.3\r\n", 0), "(no error)");
  EXPECT_THROW(load_baseline("", "xlnet-base-cased", 5), InputError);
}

// Two-dimensional unit vectors at angle `degrees`.
std::vector<float> unit(std::initializer_list<double> degrees) {
  std::vector<float> out;
  for (double d : degrees) {
    out.push_back(static_cast<float>(std::cos(d * M_PI / 180)));
    out.push_back(static_cast<float>(std::sin(d * M_PI / 180)));
  }
  return out;
}

TEST(BertScoreMatchingTest, GreedyMatchingByHand) {
  // [CLS] a b [SEP] against [CLS] c [SEP]; special tokens weigh 0.
  const auto hyp = unit({0, 10, 100, 0});
  const auto ref = unit({0, 20, 0});
  const std::vector<double> hw = {0, 1, 1, 0}, rw = {0, 1, 0};
  const PairScore s =
      greedy_match({hyp.data(), hw.data(), 4}, {ref.data(), rw.data(), 3}, 2, false, false);
  // a: best cos(10-0)=cos 10 (vs [CLS]/[SEP] at 0 degrees); b: cos(100-20)=cos 80.
  const double p = (std::cos(10 * M_PI / 180) + std::cos(80 * M_PI / 180)) / 2;
  const double r = std::cos(10 * M_PI / 180);  // c: closest is a (10 degrees away)
  EXPECT_NEAR(s.precision, p, 1e-6);
  EXPECT_NEAR(s.recall, r, 1e-6);
  EXPECT_NEAR(s.f1, 2 * p * r / (p + r), 1e-6);
}

TEST(BertScoreMatchingTest, PaddingFloorEmptyTextsAndNaN) {
  // b points away from every reference token: its best cosine is negative, unless the
  // reference was padded in its batch (bert_score's zero-padded similarity matrix).
  const auto hyp = unit({0, 180, 0});
  const auto ref = unit({0, 10, 0});
  const std::vector<double> hw = {0, 1, 0}, rw = {0, 1, 0};
  const PairScore plain =
      greedy_match({hyp.data(), hw.data(), 3}, {ref.data(), rw.data(), 3}, 2, false, false);
  EXPECT_NEAR(plain.precision, -std::cos(10 * M_PI / 180), 1e-6);
  const PairScore floored =
      greedy_match({hyp.data(), hw.data(), 3}, {ref.data(), rw.data(), 3}, 2, false, true);
  EXPECT_NEAR(floored.precision, 0.0, 1e-12);
  EXPECT_NEAR(floored.recall, plain.recall, 1e-12);
  // An empty hypothesis ([CLS] [SEP]): P = R = F = 0.
  const auto empty = unit({0, 0});
  const std::vector<double> ew = {0, 0};
  const PairScore e =
      greedy_match({empty.data(), ew.data(), 2}, {ref.data(), rw.data(), 3}, 2, true, false);
  EXPECT_EQ(e.precision, 0);
  EXPECT_EQ(e.recall, 0);
  EXPECT_EQ(e.f1, 0);
  // Every weight 0 in a non-empty text (idf 0 everywhere): P is NaN, F becomes 0.
  const std::vector<double> zero = {0, 0, 0};
  const PairScore n =
      greedy_match({hyp.data(), zero.data(), 3}, {ref.data(), rw.data(), 3}, 2, false, false);
  EXPECT_TRUE(std::isnan(n.precision));
  EXPECT_FALSE(std::isnan(n.recall));
  EXPECT_EQ(n.f1, 0);
}

TEST(BertScoreMatchingTest, Normalisation) {
  std::vector<float> rows = {3, 4, 0, -2};
  l2_normalize_rows(rows.data(), 2, 2);
  EXPECT_FLOAT_EQ(rows[0], 0.6f);
  EXPECT_FLOAT_EQ(rows[1], 0.8f);
  EXPECT_FLOAT_EQ(rows[3], -1.0f);
}

}  // namespace
}  // namespace rrg::testing
