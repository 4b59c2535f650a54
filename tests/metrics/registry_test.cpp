// Tests of the scorer registry: its entries and the rules of --metrics.
#include "rrg/metrics/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rrg/core/errors.h"

namespace {

TEST(Registry, LexicalScorersInReportOrder) {
  std::vector<std::string> ids;
  for (const auto& info : rrg::metrics::scorer_infos()) ids.push_back(info.id);
  const std::vector<std::string> expected{"coco-bleu", "coco-rouge", "coco-cider", "nltk-bleu"};
  auto it = ids.begin();
  for (const auto& id : expected) {
    it = std::find(it, ids.end(), id);
    ASSERT_NE(it, ids.end()) << id << " missing or out of order";
  }
  for (const auto& info : rrg::metrics::scorer_infos()) {
    const auto scorer = rrg::metrics::make_scorer(info.id, {});
    EXPECT_EQ(scorer->names(), info.metric_names) << info.id;
    EXPECT_TRUE(info.family == "coco" || info.family == "seed" || info.family == "clinical" ||
                info.family == "embed")
        << info.id;
  }
}

TEST(Registry, UnknownScorerNamesTheKnownOnes) {
  try {
    rrg::metrics::make_scorer("bleu", {});
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("coco-bleu"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

using rrg::metrics::select_metrics;
using rrg::metrics::SelectionContext;

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(MetricSelection, AllTakesWhatTheRunProvides) {
  const auto lexical = select_metrics({}, SelectionContext{});
  EXPECT_TRUE(has(lexical.metric_names, "BLEU-4"));
  EXPECT_TRUE(has(lexical.metric_names, "CIDEr"));
  EXPECT_FALSE(has(lexical.scorer_ids, "clinical"));
  const auto labelled = select_metrics({"all"}, SelectionContext{true, false});
  EXPECT_TRUE(has(labelled.metric_names, "chexpert_micro_f1_14_uzeros"));
  EXPECT_TRUE(has(labelled.metric_names, "n_agree"));
  EXPECT_FALSE(has(labelled.metric_names, "chexbert_similarity"));
  const auto embedded = select_metrics({"clinical"}, SelectionContext{true, true});
  EXPECT_TRUE(has(embedded.metric_names, "chexbert_similarity"));
  EXPECT_FALSE(has(embedded.metric_names, "BLEU-4"));
}

TEST(MetricSelection, KeysScorersAndFamiliesKeepRegistryOrder) {
  const auto selection = select_metrics({"METEOR", "coco-bleu", "Bleu_1", "CIDEr"}, {});
  EXPECT_EQ(selection.scorer_ids,
            (std::vector<std::string>{"coco-bleu", "coco-cider", "nltk-meteor"}));
  EXPECT_EQ(selection.metric_names,
            (std::vector<std::string>{"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "CIDEr", "METEOR"}));
}

TEST(MetricSelection, WhatTheRunCannotProvideNamesTheFlag) {
  try {
    select_metrics({"clinical"}, {});
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--labeler rules"), std::string::npos) << e.what();
  }
  try {
    select_metrics({"chexbert_similarity"}, SelectionContext{true, false});
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--labeler chexbert"), std::string::npos) << e.what();
  }
}

TEST(MetricSelection, UnknownNameSuggestsAClose) {
  try {
    select_metrics({"BLUE-4"}, {});
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'BLEU-4'"), std::string::npos) << e.what();
  }
}

}  // namespace
