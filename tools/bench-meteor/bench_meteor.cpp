// Google Benchmark cases for the seed-convention ROUGE-L and METEOR scorers and the parts they
// stand on (Porter stemmer, WordNet reader), on synthetic radiology report pairs.
//
//   build/tools/bench-meteor/bench-meteor                       # all benchmarks
//   build/tools/bench-meteor/bench-meteor --benchmark_filter=Meteor
//   build/tools/bench-meteor/bench-meteor --write-corpus DIR N  # DIR/pred.jsonl, DIR/ref.jsonl
//
// The corpus writer feeds whole-process timings (`hyperfine 'rrg evaluate --pred DIR/pred.jsonl
// --ref DIR/ref.jsonl --metrics seed'`). Issue targets: all metrics of both families on 3,000
// pairs in < 0.1 s; METEOR on 10 pairs, WordNet included, in < 20 ms of process wall time.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "rrg/metrics/driver.h"
#include "rrg/metrics/lexical/nltk_meteor.h"
#include "rrg/metrics/lexical/rouge_score.h"
#include "rrg/text/porter_stemmer.h"
#include "rrg/text/python_str.h"
#include "rrg/text/wordnet.h"
#include "synthetic_reports.h"

namespace {

rrg::metrics::TextCorpus make_corpus(std::size_t count) {
  rrg::metrics::TextCorpus corpus;
  for (auto& pair : rrg::bench::synthetic_report_pairs(count)) {
    corpus.hypotheses.push_back(std::move(pair.hypothesis));
    corpus.references.push_back({std::move(pair.reference)});
  }
  return corpus;
}

// Distinct lower-cased words of a synthetic corpus.
std::vector<std::string> corpus_words(std::size_t pairs) {
  std::set<std::string> words;
  for (const auto& pair : rrg::bench::synthetic_report_pairs(pairs)) {
    for (const auto& text : {pair.reference, pair.hypothesis}) {
      const std::string lowered = rrg::text::python_lower(text);
      for (const auto token : rrg::text::python_split(lowered)) words.emplace(token);
    }
  }
  return {words.begin(), words.end()};
}

void BM_RougeScoreCorpus(benchmark::State& state) {
  const auto corpus = make_corpus(static_cast<std::size_t>(state.range(0)));
  const rrg::metrics::RougeScoreScorer scorer;
  for (auto _ : state) benchmark::DoNotOptimize(rrg::metrics::score_corpus(scorer, corpus));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RougeScoreCorpus)->Arg(3000)->Unit(benchmark::kMillisecond);

void BM_NltkMeteorCorpus(benchmark::State& state) {
  const auto corpus = make_corpus(static_cast<std::size_t>(state.range(0)));
  const rrg::metrics::NltkMeteorScorer scorer;  // WordNet opened once, mapped pages stay warm
  for (auto _ : state) benchmark::DoNotOptimize(rrg::metrics::score_corpus(scorer, corpus));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_NltkMeteorCorpus)->Arg(3000)->Arg(30000)->Unit(benchmark::kMillisecond);

// What a short `rrg evaluate --metrics METEOR` run pays: open WordNet (fresh mappings, so every
// page touched faults again) and score ten pairs.
void BM_NltkMeteorTenPairsColdOpen(benchmark::State& state) {
  const auto corpus = make_corpus(10);
  for (auto _ : state) {
    const rrg::metrics::NltkMeteorScorer scorer;
    benchmark::DoNotOptimize(rrg::metrics::score_corpus(scorer, corpus));
  }
}
BENCHMARK(BM_NltkMeteorTenPairsColdOpen)->Unit(benchmark::kMicrosecond);

void BM_PorterStemmer(benchmark::State& state) {
  const auto words = corpus_words(3000);
  const rrg::text::PorterStemmer stemmer;
  for (auto _ : state) {
    for (const auto& w : words) benchmark::DoNotOptimize(stemmer.stem(w));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(words.size()));
}
BENCHMARK(BM_PorterStemmer)->Unit(benchmark::kMicrosecond);

void BM_WordNetSynonyms(benchmark::State& state) {
  const auto words = corpus_words(3000);
  const rrg::text::WordNet wordnet;
  rrg::text::PorterStemmer stemmer;
  std::vector<std::string> stems;
  for (const auto& w : words) stems.push_back(stemmer.stem(w));
  for (auto _ : state) {
    std::size_t names = 0;
    for (const auto& s : stems) {
      for (const auto& synset : wordnet.synsets(s)) names += wordnet.lemma_names(synset).size();
    }
    benchmark::DoNotOptimize(names);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(stems.size()));
}
BENCHMARK(BM_WordNetSynonyms)->Unit(benchmark::kMicrosecond);

int write_corpus(const std::string& dir, std::size_t count) {
  std::ofstream pred(dir + "/pred.jsonl"), ref(dir + "/ref.jsonl");
  if (!pred || !ref) {
    std::cerr << "bench-meteor: cannot write into " << dir << "\n";
    return 1;
  }
  std::size_t id = 0;
  for (const auto& pair : rrg::bench::synthetic_report_pairs(count)) {
    const std::string key = "s" + std::to_string(id++);
    pred << nlohmann::json{{"id", key}, {"report", pair.hypothesis}}.dump() << "\n";
    ref << nlohmann::json{{"id", key}, {"report", pair.reference}}.dump() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--write-corpus") {
    return write_corpus(argv[2], std::strtoull(argv[3], nullptr, 10));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
