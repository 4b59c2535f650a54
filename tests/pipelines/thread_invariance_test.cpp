// No number depends on the number of threads: every scorer of the registry, run with 1, 2 and 7
// threads, gives bit-identical statistics rows, corpus values and per-sample values -- on the
// shared parity cases (when ../shared is present) and on a generated corpus large enough for
// every lane to take many chunks (CIDEr-D's document frequencies then come from merging lanes).
// The same holds for scorers sharing one tokenization (run_scorers) and for the whole
// evaluation pipeline with the rules labeler (clinical family included).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "rrg/labelers/registry.h"
#include "rrg/metrics/driver.h"
#include "rrg/metrics/lexical/coco_cider_scorer.h"
#include "rrg/metrics/registry.h"
#include "rrg/pipelines/evaluate.h"
#include "rrg/text/clean.h"
#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace {

using rrg::metrics::MetricScores;
using rrg::metrics::TextCorpus;

constexpr std::size_t kThreadCounts[] = {2, 7};

std::uint64_t bits(double value) {
  std::uint64_t out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

// Bit-for-bit equality of two vectors of doubles (NaN included), naming the first difference.
void expect_bits(const std::vector<double>& expected, const std::vector<double>& actual,
                 const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (bits(expected[i]) != bits(actual[i])) {
      ADD_FAILURE() << what << " [" << i << "]: " << expected[i] << " vs " << actual[i];
      return;
    }
  }
}

void expect_same_scores(const MetricScores& expected, const MetricScores& actual,
                        const std::string& what) {
  ASSERT_EQ(expected.names, actual.names) << what;
  EXPECT_EQ(expected.statistics.width, actual.statistics.width) << what;
  expect_bits(expected.statistics.values, actual.statistics.values, what + " statistics");
  expect_bits(expected.corpus, actual.corpus, what + " corpus");
  ASSERT_EQ(expected.per_sample.size(), actual.per_sample.size()) << what;
  for (std::size_t k = 0; k < expected.per_sample.size(); ++k) {
    expect_bits(expected.per_sample[k], actual.per_sample[k],
                what + " per-sample " + expected.names[k]);
  }
  for (std::size_t k = 0; k < expected.signatures.size(); ++k) {
    EXPECT_EQ(expected.signatures[k].format(), actual.signatures[k].format()) << what;
  }
}

// Pairs assembled from the test texts: 1-4 sentences per text, 1-3 references, now and then an
// empty text, a Unicode edge case or a repeated hypothesis; ~4000 samples spread over dozens of
// chunks per lane.
TextCorpus generated_corpus(std::size_t n, unsigned seed) {
  const auto& reports = rrg::testing::radiology_reports();
  const auto& edges = rrg::testing::tokenizer_edge_texts();
  std::mt19937 rng(seed);
  const auto pick = [&](std::size_t size) {
    return std::uniform_int_distribution<std::size_t>(0, size - 1)(rng);
  };
  const auto text = [&] {
    std::string out;
    const std::size_t parts = 1 + pick(4);
    for (std::size_t p = 0; p < parts; ++p) {
      if (!out.empty()) out += ' ';
      out += pick(12) == 0 ? edges[pick(edges.size())] : reports[pick(reports.size())];
    }
    return pick(40) == 0 ? std::string() : out;
  };
  TextCorpus corpus;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t n_refs = 1 + (pick(4) == 0 ? pick(3) : 0);
    std::vector<std::string> refs;
    for (std::size_t r = 0; r < n_refs; ++r) refs.push_back(text());
    corpus.hypotheses.push_back(pick(10) == 0 ? refs.front() : text());
    corpus.references.push_back(std::move(refs));
  }
  return corpus;
}

// The seed family's view of a corpus: clean_report on both sides, first reference only.
TextCorpus seed_view(const TextCorpus& coco) {
  TextCorpus seed;
  for (std::size_t i = 0; i < coco.size(); ++i) {
    seed.hypotheses.push_back(rrg::text::seed_clean_report(coco.hypotheses[i]));
    seed.references.push_back({rrg::text::seed_clean_report(coco.references[i].front())});
  }
  return seed;
}

struct NamedCorpus {
  std::string name;
  TextCorpus coco, seed;
};

std::vector<NamedCorpus> corpora() {
  std::vector<NamedCorpus> out;
  TextCorpus generated = generated_corpus(4000, 11);
  out.push_back({"generated", generated, seed_view(generated)});
  const std::string shared = rrg::testing::shared_dir();
  const std::string cases = shared + "/parity/nlg/cases";
  if (shared.empty() || !std::filesystem::is_directory(cases)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(cases)) {
    std::map<std::string, std::vector<std::string>> references;
    std::ifstream refs(entry.path() / "ref.jsonl");
    for (std::string line; std::getline(refs, line);) {
      if (line.empty()) continue;
      const auto row = nlohmann::json::parse(line);
      references[row.at("id")] = row.contains("references")
                                     ? row.at("references").get<std::vector<std::string>>()
                                     : std::vector<std::string>{row.at("report")};
    }
    TextCorpus coco;
    std::ifstream preds(entry.path() / "pred.jsonl");
    for (std::string line; std::getline(preds, line);) {
      if (line.empty()) continue;
      const auto row = nlohmann::json::parse(line);
      coco.hypotheses.push_back(row.at("report"));
      coco.references.push_back(references.at(row.at("id")));
    }
    out.push_back({entry.path().filename().string(), coco, seed_view(coco)});
  }
  return out;
}

TEST(ThreadInvariance, EveryTextScorerIsBitIdenticalOnOneTwoAndSevenThreads) {
  std::size_t checked = 0;
  for (const NamedCorpus& corpus : corpora()) {
    for (const auto& info : rrg::metrics::scorer_infos()) {
      if (info.needs != rrg::metrics::ScorerNeeds::kTexts) continue;
      const auto scorer = rrg::metrics::make_scorer(info.id, {});
      const TextCorpus& texts = info.family == "seed" ? corpus.seed : corpus.coco;
      const MetricScores one = rrg::metrics::score_corpus(*scorer, texts, "", 1);
      for (const std::size_t threads : kThreadCounts) {
        expect_same_scores(one, rrg::metrics::score_corpus(*scorer, texts, "", threads),
                           corpus.name + " " + info.id + " threads " + std::to_string(threads));
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 12u);
}

TEST(ThreadInvariance, CiderReTokenizingLanesMatchKeptNgrams) {
  const TextCorpus corpus = generated_corpus(3000, 5);
  const MetricScores one = rrg::metrics::score_corpus(rrg::metrics::CocoCiderScorer(), corpus);
  for (const std::size_t budget : {std::size_t{0}, std::size_t{50000}}) {
    for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
      expect_same_scores(
          one,
          rrg::metrics::score_corpus(rrg::metrics::CocoCiderScorer(budget), corpus, "", threads),
          "budget " + std::to_string(budget) + " threads " + std::to_string(threads));
    }
  }
}

TEST(ThreadInvariance, SharedTokenizationGivesEachScorersOwnResults) {
  const TextCorpus corpus = generated_corpus(2500, 3);
  std::vector<std::unique_ptr<rrg::metrics::Scorer>> scorers;
  std::vector<const rrg::metrics::Scorer*> pointers;
  std::vector<MetricScores> alone;
  for (const auto& info : rrg::metrics::scorer_infos()) {
    if (info.needs != rrg::metrics::ScorerNeeds::kTexts) continue;
    scorers.push_back(rrg::metrics::make_scorer(info.id, {}));
    pointers.push_back(scorers.back().get());
    alone.push_back(rrg::metrics::score_corpus(*scorers.back(), corpus));
  }
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
    rrg::metrics::CorpusInputs inputs(corpus, "", threads);
    rrg::metrics::ScorerTimes times;
    std::vector<std::size_t> signed_order;
    const std::vector<MetricScores> together = rrg::metrics::run_scorers(
        pointers, inputs, &times, [&](std::size_t k) { signed_order.push_back(k); });
    ASSERT_EQ(together.size(), alone.size());
    ASSERT_EQ(times.seconds.size(), alone.size());
    EXPECT_EQ(signed_order, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
    for (std::size_t k = 0; k < alone.size(); ++k) {
      expect_same_scores(alone[k], together[k],
                         alone[k].names.front() + " threads " + std::to_string(threads));
      EXPECT_GE(times.seconds[k], 0.0);
    }
  }
}

// The pipeline, clinical family included: labels by the rules labeler on 1, 2 and 7 threads.
rrg::pipelines::EvaluationResult evaluate_with(const TextCorpus& corpus, std::size_t threads) {
  rrg::labelers::LabelerOptions labeler_options;
  labeler_options.threads = threads;
  const auto labeler = rrg::labelers::make_labeler("rules", labeler_options);
  rrg::io::PairedReports reports;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    reports.ids.push_back("s" + std::to_string(i));
    reports.prediction_errors.emplace_back();
  }
  reports.predictions = corpus.hypotheses;
  reports.references = corpus.references;
  rrg::pipelines::EvaluateOptions options;
  options.labeler = labeler.get();
  options.threads = threads;
  options.coco_clean = "r2gen-iu";
  return rrg::pipelines::evaluate(std::move(reports), options);
}

TEST(ThreadInvariance, EvaluationPipelineIsBitIdentical) {
  const TextCorpus corpus = generated_corpus(3000, 17);
  const auto one = evaluate_with(corpus, 1);
  ASSERT_TRUE(one.clinical.has_value());
  // Each preparation is reported just before the scorer whose signature asked for it.
  std::vector<std::string> stages;
  for (const auto& [stage, seconds] : one.timings_seconds) stages.push_back(stage);
  EXPECT_EQ(stages, (std::vector<std::string>{"prepare:coco", "score:coco-bleu", "score:coco-rouge",
                                              "score:coco-cider", "prepare:seed", "score:nltk-bleu",
                                              "score:rouge-score", "score:nltk-meteor",
                                              "label:rules", "score:clinical"}));
  for (const std::size_t threads : kThreadCounts) {
    const auto many = evaluate_with(corpus, threads);
    const std::string what = "threads " + std::to_string(threads);
    ASSERT_EQ(one.metrics.size(), many.metrics.size());
    for (std::size_t m = 0; m < one.metrics.size(); ++m) {
      const auto& a = one.metrics[m];
      const auto& b = many.metrics[m];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(bits(a.corpus), bits(b.corpus)) << what << " " << a.name;
      expect_bits(a.per_sample, b.per_sample, what + " " + a.name);
      EXPECT_EQ(a.signature.format(), b.signature.format());
    }
    ASSERT_EQ(one.runs.size(), many.runs.size());
    for (std::size_t r = 0; r < one.runs.size(); ++r) {
      expect_bits(one.runs[r].statistics.values, many.runs[r].statistics.values,
                  what + " statistics of " + one.runs[r].id);
    }
    ASSERT_TRUE(many.clinical.has_value());
    EXPECT_EQ(one.clinical->predictions, many.clinical->predictions);
    EXPECT_EQ(one.clinical->references, many.clinical->references);
    EXPECT_EQ(one.clinical->n_distinct_texts, many.clinical->n_distinct_texts);
    std::vector<std::string> stages_one, stages_many;
    for (const auto& [stage, seconds] : one.timings_seconds) stages_one.push_back(stage);
    for (const auto& [stage, seconds] : many.timings_seconds) stages_many.push_back(stage);
    EXPECT_EQ(stages_one, stages_many);
  }
}

}  // namespace
