// bench-rules: throughput of the `rules` labeler on one core, in reports per second.
//
//   build/bench-rules                     # all benchmarks
//   build/bench-rules --benchmark_filter=DevSet
//
// Generated: a fixed-seed corpus of IU X-Ray-length reports (findings + impression, about 290
// characters, 4-7 sentences) assembled from sentence templates written for this benchmark.
// Impressions: the same, impression-length (1-2 sentences, about 60 characters, the length of
// the dev set's "report" field). DevSet: the real impressions of
// ../shared/labels/iu_chexbert_dev.jsonl ($RRG_SHARED_DIR/labels/...), skipped when absent.
// HeldOutCorpus: the reports of tests/data/rules_heldout.jsonl (IU X-Ray and MIMIC-CXR style,
// about 160 characters). FullReportCorpus: tests/data/rules_fullreports.jsonl (IU X-Ray and
// MIMIC-CXR-style findings + impression, about 150 characters). The issue-3 target is >= 20,000
// reports/s for IU-length reports.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/labelers/rules/rules_labeler.h"

namespace {

// Sentence templates in the style of chest radiograph reports (written for this benchmark).
const std::vector<std::string>& findings_sentences() {
  static const std::vector<std::string> sentences = {
      "The heart size is normal.",
      "The cardiomediastinal silhouette is within normal limits for size and contour.",
      "Heart size is mildly enlarged, unchanged from the prior examination.",
      "The lungs are clear bilaterally without focal consolidation.",
      "There is no pleural effusion or pneumothorax.",
      "Mild streaky opacity at the left base likely reflects atelectasis.",
      "No focal airspace disease, pleural effusion, or pneumothorax is seen.",
      "Degenerative changes are present in the thoracic spine.",
      "A right-sided PICC line terminates in the lower SVC.",
      "Calcified granuloma in the right upper lobe is stable.",
      "Pulmonary vascularity is within normal limits.",
      "Small bilateral pleural effusions with adjacent atelectasis cannot be excluded.",
      "There is XXXX right basilar airspace disease, possibly pneumonia.",
      "Old healed fractures of the left lateral ribs are noted.",
      "Interstitial markings are mildly increased, which may represent mild edema.",
      "Surgical clips project over the right upper quadrant.",
  };
  return sentences;
}

const std::vector<std::string>& impression_sentences() {
  static const std::vector<std::string> sentences = {
      "No acute cardiopulmonary abnormality.",
      "1. Mild cardiomegaly. 2. No acute pulmonary disease.",
      "Low lung volumes with bibasilar atelectasis.",
      "Right lower lobe pneumonia. Recommend follow-up to resolution.",
      "Stable chest. No pneumothorax.",
      "Possible small left pleural effusion versus pleural thickening.",
      "Emphysema without acute findings.",
      "Clear lungs. No evidence of active disease.",
  };
  return sentences;
}

std::vector<std::string> generate(std::size_t count, std::size_t min_findings,
                                  std::size_t max_findings) {
  std::mt19937 rng(/*seed=*/20240613);
  std::vector<std::string> reports;
  reports.reserve(count);
  const auto& findings = findings_sentences();
  const auto& impressions = impression_sentences();
  for (std::size_t i = 0; i < count; ++i) {
    std::string report;
    const std::size_t n = min_findings + rng() % (max_findings - min_findings + 1);
    for (std::size_t k = 0; k < n; ++k) report += findings[rng() % findings.size()] + " ";
    report += impressions[rng() % impressions.size()];
    reports.push_back(std::move(report));
  }
  return reports;
}

void run(benchmark::State& state, const std::vector<std::string>& reports) {
  const auto labeler = rrg::labelers::make_rules_labeler({});
  const auto& rules = dynamic_cast<const rrg::labelers::RulesLabeler&>(*labeler);
  std::size_t chars = 0;
  for (const auto& report : reports) chars += report.size();
  for (auto _ : state) {
    for (const auto& report : reports) benchmark::DoNotOptimize(rules.label_one(report));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * reports.size()));
  state.counters["reports/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * reports.size()), benchmark::Counter::kIsRate);
  state.counters["chars/report"] =
      static_cast<double>(chars) / static_cast<double>(reports.empty() ? 1 : reports.size());
}

void BM_Generated(benchmark::State& state) {
  static const auto reports = generate(2000, 3, 5);
  run(state, reports);
}
BENCHMARK(BM_Generated)->Unit(benchmark::kMillisecond);

void BM_Impressions(benchmark::State& state) {
  static const auto reports = generate(2000, 0, 0);
  run(state, reports);
}
BENCHMARK(BM_Impressions)->Unit(benchmark::kMillisecond);

// Labels the "report" field of every line of a JSONL file; skips the benchmark when the file is
// absent.
void run_jsonl(benchmark::State& state, const std::string& path, const char* missing) {
  std::ifstream in(path);
  if (!in) {
    state.SkipWithError(missing);
    return;
  }
  std::vector<std::string> reports;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) reports.push_back(nlohmann::json::parse(line).at("report"));
  }
  run(state, reports);
}

void BM_DevSet(benchmark::State& state) {
  const char* env = std::getenv("RRG_SHARED_DIR");
  const std::string shared = env != nullptr && *env != '\0'
                                 ? std::string(env)
                                 : std::string(RRG_SOURCE_DIR) + "/../shared";
  run_jsonl(state, shared + "/labels/iu_chexbert_dev.jsonl",
            "../shared/labels/iu_chexbert_dev.jsonl not found");
}
BENCHMARK(BM_DevSet)->Unit(benchmark::kMillisecond);

// The held-out-style corpus of the tests (tests/data/rules_heldout.jsonl): IU X-Ray and
// MIMIC-CXR-style findings + impressions.
void BM_HeldOutCorpus(benchmark::State& state) {
  run_jsonl(state, std::string(RRG_SOURCE_DIR) + "/tests/data/rules_heldout.jsonl",
            "tests/data/rules_heldout.jsonl not found");
}
BENCHMARK(BM_HeldOutCorpus)->Unit(benchmark::kMillisecond);

// The full-report corpus of the tests (tests/data/rules_fullreports.jsonl).
void BM_FullReportCorpus(benchmark::State& state) {
  run_jsonl(state, std::string(RRG_SOURCE_DIR) + "/tests/data/rules_fullreports.jsonl",
            "tests/data/rules_fullreports.jsonl not found");
}
BENCHMARK(BM_FullReportCorpus)->Unit(benchmark::kMillisecond);

void BM_Construct(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(rrg::labelers::make_rules_labeler({}));
}
BENCHMARK(BM_Construct)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
