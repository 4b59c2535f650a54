// bench-metrics: Google Benchmark timings of the lexical scorers on synthetic chest X-ray reports.
//
// The corpus is generated here (deterministic seed): references are 4-8 sentences drawn from
// radiology-style templates, predictions are perturbed copies (sentences dropped, reordered,
// words substituted, case changed), so n-gram overlap is realistic but imperfect.
//
//   build/tools/bench-metrics/bench-metrics                         # 3,000 and 100,000 pairs
//   build/tools/bench-metrics/bench-metrics --benchmark_filter=All/1000000   # the 1M target
//
// Reported time per iteration is one full score() call over the corpus (all samples).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "rrg/metrics/driver.h"
#include "rrg/metrics/registry.h"
#include "rrg/text/clean.h"
#include "rrg/text/python_str.h"

namespace {

using rrg::metrics::TextCorpus;

const std::vector<std::vector<std::string>>& templates() {
  // Each template is a list of slots; a slot is '|'-separated alternatives.
  static const std::vector<std::vector<std::string>> t{
      {"the heart size is", "normal|mildly enlarged|enlarged|top normal|stable", "."},
      {"there is", "no|a small|a moderate|a large|a trace", "left|right|bilateral",
       "pleural effusion|pleural effusions", "."},
      {"no|there is no|without", "pneumothorax|focal consolidation|pulmonary edema", "."},
      {"the lungs are", "clear|hyperinflated|grossly clear|well expanded", "."},
      {"mild|moderate|minimal|patchy", "bibasilar|left basilar|right basilar|retrocardiac",
       "atelectasis|opacities|consolidation|scarring", "."},
      {"the", "endotracheal tube|right ij catheter|nasogastric tube|left picc line",
       "terminates|is seen|ends", "3|4|5|6", "cm above the carina", "."},
      {"degenerative changes of the", "thoracic spine|lumbar spine|shoulders", "are noted", "."},
      {"no acute cardiopulmonary abnormality|no acute cardiopulmonary process", "."},
      {"there is", "mild|moderate|no", "pulmonary vascular congestion", "."},
      {"calcified|noncalcified", "granuloma in the", "right|left", "upper|middle|lower", "lobe",
       "."},
      {"the mediastinal contours are", "normal|unremarkable|within normal limits", "."},
      {"compared to the prior study from", "2019|2020|2021|2022", ", the", "effusion|opacity",
       "has", "increased|decreased|resolved", "."},
  };
  return t;
}

std::vector<std::string> split_alternatives(const std::string& slot) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = slot.find('|', start);
    out.push_back(slot.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) return out;
    start = bar + 1;
  }
}

std::string sentence(std::mt19937& rng) {
  const auto& t = templates()[rng() % templates().size()];
  std::string out;
  for (const auto& slot : t) {
    const auto alternatives = split_alternatives(slot);
    if (!out.empty()) out += ' ';
    out += alternatives[rng() % alternatives.size()];
  }
  return out;
}

TextCorpus make_corpus(std::size_t n) {
  std::mt19937 rng(12345);
  TextCorpus corpus;
  corpus.hypotheses.reserve(n);
  corpus.references.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> sentences(4 + rng() % 5);
    for (auto& s : sentences) s = sentence(rng);
    std::string ref, hyp;
    for (const auto& s : sentences) ref += (ref.empty() ? "" : " ") + s;
    // Prediction: drop or replace some sentences, sometimes upper-case a sentence.
    for (const auto& s : sentences) {
      const unsigned roll = rng() % 10;
      std::string out = roll < 2 ? "" : roll < 4 ? sentence(rng) : s;
      if (!out.empty() && rng() % 8 == 0) {
        for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      }
      if (!out.empty()) hyp += (hyp.empty() ? "" : " ") + out;
    }
    corpus.hypotheses.push_back(std::move(hyp));
    corpus.references.push_back({std::move(ref)});
  }
  return corpus;
}

const TextCorpus& corpus(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<TextCorpus>> cache;
  auto& slot = cache[n];
  if (!slot) slot = std::make_unique<TextCorpus>(make_corpus(n));
  return *slot;
}

std::size_t total_bytes(const TextCorpus& c) {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    bytes += c.hypotheses[i].size();
    for (const auto& r : c.references[i]) bytes += r.size();
  }
  return bytes;
}

void BM_Scorer(benchmark::State& state, const std::string& id) {
  const TextCorpus& c = corpus(static_cast<std::size_t>(state.range(0)));
  const auto scorer = rrg::metrics::make_scorer(id, {});
  for (auto _ : state) benchmark::DoNotOptimize(rrg::metrics::score_corpus(*scorer, c));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total_bytes(c)));
}

// The scorers that need nothing but the texts (the lexical ones): the others need labels, a
// model folder or a server, which synthetic texts and default options do not give.
std::vector<std::string> text_only_scorers() {
  std::vector<std::string> ids;
  for (const auto& info : rrg::metrics::scorer_infos()) {
    if (info.needs == rrg::metrics::ScorerNeeds::kTexts) ids.push_back(info.id);
  }
  return ids;
}

// Every text-only scorer, one after the other (the lexical part of `rrg evaluate`'s default).
void BM_All(benchmark::State& state) {
  const TextCorpus& c = corpus(static_cast<std::size_t>(state.range(0)));
  std::vector<std::unique_ptr<rrg::metrics::Scorer>> scorers;
  for (const auto& id : text_only_scorers()) scorers.push_back(rrg::metrics::make_scorer(id, {}));
  for (auto _ : state) {
    for (const auto& scorer : scorers)
      benchmark::DoNotOptimize(rrg::metrics::score_corpus(*scorer, c));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.size()));
}

void BM_SeedClean(benchmark::State& state) {
  const TextCorpus& c = corpus(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    for (std::size_t i = 0; i < c.size(); ++i) {
      benchmark::DoNotOptimize(rrg::text::seed_clean_report(c.hypotheses[i]));
      benchmark::DoNotOptimize(rrg::text::seed_clean_report(c.references[i][0]));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.size()));
}

void BM_LowerSplit(benchmark::State& state) {
  const TextCorpus& c = corpus(static_cast<std::size_t>(state.range(0)));
  std::vector<std::string_view> tokens;
  for (auto _ : state) {
    for (std::size_t i = 0; i < c.size(); ++i) {
      const std::string lowered = rrg::text::python_lower(c.hypotheses[i]);
      rrg::text::python_split(lowered, tokens);
      benchmark::DoNotOptimize(tokens.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(total_bytes(c) / 2));
}

int register_benchmarks() {
  for (const auto& id : text_only_scorers()) {
    benchmark::RegisterBenchmark(("Scorer/" + id).c_str(), BM_Scorer, id)
        ->Arg(3000)
        ->Arg(100000)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("All", BM_All)
      ->Arg(3000)
      ->Arg(100000)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("All", BM_All)
      ->Arg(1000000)
      ->Iterations(1)
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("SeedClean", BM_SeedClean)->Arg(3000)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("LowerSplit", BM_LowerSplit)
      ->Arg(3000)
      ->Unit(benchmark::kMillisecond);
  return 0;
}

const int registered = register_benchmarks();

}  // namespace

BENCHMARK_MAIN();
