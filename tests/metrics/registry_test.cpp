// Tests of the scorer registry: its entries and the rules of --metrics.
#include "rrg/metrics/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "rrg/core/errors.h"

namespace {

// A RadGraph extractor that finds nothing (the registry only builds the scorers here).
class NoEntities final : public rrg::metrics::radgraph::GraphExtractor {
 public:
  std::vector<rrg::metrics::radgraph::Graph> extract(const std::vector<std::string>& t) override {
    return std::vector<rrg::metrics::radgraph::Graph>(t.size());
  }
  std::string description() const override { return "none"; }
};

TEST(Registry, LexicalScorersInReportOrder) {
  std::vector<std::string> ids;
  for (const auto& info : rrg::metrics::scorer_infos()) ids.push_back(info.id);
  const std::vector<std::string> expected{"coco-bleu", "coco-rouge", "coco-cider", "nltk-bleu"};
  auto it = ids.begin();
  for (const auto& id : expected) {
    it = std::find(it, ids.end(), id);
    ASSERT_NE(it, ids.end()) << id << " missing or out of order";
  }
  // GREEN builds without a server (nothing is sent until statistics()); BERTScore needs a model
  // folder (tests/cli/bertscore_cli_test.cpp builds one).
  rrg::metrics::ScorerOptions options;
  options.green.emplace();
  options.green->base_urls = {"http://127.0.0.1:9/v1"};
  options.green->model = "judge";
  options.green->no_cache = true;
  options.radgraph = std::make_shared<NoEntities>();
  for (const auto& info : rrg::metrics::scorer_infos()) {
    if (info.needs == rrg::metrics::ScorerNeeds::kBertScoreModel) {
      EXPECT_EQ(info.metric_names,
                (std::vector<std::string>{"BERTScore_P", "BERTScore_R", "BERTScore_F1"}));
      continue;
    }
    if (info.needs == rrg::metrics::ScorerNeeds::kRadCliq) {
      // Its BERTScore component needs a model folder (tests/cli/radgraph_evaluate_cli_test.cpp).
      EXPECT_EQ(info.metric_names, std::vector<std::string>{"RadCliQ-v1"});
      EXPECT_EQ(info.family, "radcliq");
      continue;
    }
    const auto scorer = rrg::metrics::make_scorer(info.id, options);
    EXPECT_EQ(scorer->names(), info.metric_names) << info.id;
    EXPECT_TRUE(info.family == "coco" || info.family == "seed" || info.family == "clinical" ||
                info.family == "embed" || info.family == "green" || info.family == "radgraph")
        << info.id;
  }
}

TEST(Registry, ModelBasedMetricsJoinAllOnlyWhenConfigured) {
  using rrg::metrics::select_metrics;
  rrg::metrics::SelectionContext context;
  auto has = [](const rrg::metrics::MetricSelection& s, const std::string& id) {
    return std::find(s.scorer_ids.begin(), s.scorer_ids.end(), id) != s.scorer_ids.end();
  };
  auto all = select_metrics({}, context);
  EXPECT_FALSE(has(all, "green"));
  EXPECT_FALSE(has(all, "bertscore"));
  try {
    select_metrics({"BERTScore"}, context);
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--bertscore-model DIR"), std::string::npos) << e.what();
  }
  try {
    select_metrics({"green"}, context);
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--green-base-url"), std::string::npos) << e.what();
  }
  context.green = context.bertscore = true;
  all = select_metrics({}, context);
  EXPECT_TRUE(has(all, "green"));
  EXPECT_TRUE(has(all, "bertscore"));
  // The alias selects the whole scorer; a key only itself.
  EXPECT_EQ(select_metrics({"BERTScore"}, context).metric_names,
            (std::vector<std::string>{"BERTScore_P", "BERTScore_R", "BERTScore_F1"}));
  EXPECT_EQ(select_metrics({"GREEN"}, context).metric_names, std::vector<std::string>{"GREEN"});
  EXPECT_EQ(select_metrics({"green"}, context).metric_names.size(), 10u);
}

TEST(Registry, RadGraphAndRadCliqSayWhatTheyNeed) {
  using rrg::metrics::select_metrics;
  rrg::metrics::SelectionContext context;
  auto error_of = [&](const std::string& name) -> std::string {
    try {
      select_metrics({name}, context);
    } catch (const rrg::InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of("radgraph").find("--radgraph-model PATH"), std::string::npos);
  EXPECT_NE(error_of("RadGraph_radcliq").find("--radgraph-model PATH"), std::string::npos);
  std::string radcliq = error_of("RadCliQ-v1");
  for (const char* flag : {"--radgraph-model", "--labeler chexbert", "--radcliq-bertscore-model"}) {
    EXPECT_NE(radcliq.find(flag), std::string::npos) << flag << " in " << radcliq;
  }
  const auto lexical = select_metrics({}, context);
  EXPECT_TRUE(std::find(lexical.scorer_ids.begin(), lexical.scorer_ids.end(), "radgraph") ==
              lexical.scorer_ids.end());

  context.radgraph = true;
  const auto all = select_metrics({}, context);
  const std::vector<std::string> four = {"RadGraph_simple", "RadGraph_partial", "RadGraph_complete",
                                         "RadGraph_radcliq"};
  for (const auto& key : four) {
    EXPECT_TRUE(std::find(all.metric_names.begin(), all.metric_names.end(), key) !=
                all.metric_names.end())
        << key;
  }
  EXPECT_TRUE(std::find(all.metric_names.begin(), all.metric_names.end(), "RadCliQ-v1") ==
              all.metric_names.end());
  EXPECT_EQ(select_metrics({"radgraph"}, context).metric_names, four);  // the family
  radcliq = error_of("radcliq");  // the family asked for: still needs the other two
  EXPECT_EQ(radcliq.find("--radgraph-model"), std::string::npos) << radcliq;
  EXPECT_NE(radcliq.find("--radcliq-bertscore-model"), std::string::npos) << radcliq;

  context.labels = context.embeddings = context.radcliq_bertscore = true;
  EXPECT_EQ(select_metrics({"RadCliQ"}, context).metric_names,
            std::vector<std::string>{"RadCliQ-v1"});
  const auto everything = select_metrics({}, context);
  EXPECT_TRUE(std::find(everything.metric_names.begin(), everything.metric_names.end(),
                        "RadCliQ-v1") != everything.metric_names.end());
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
