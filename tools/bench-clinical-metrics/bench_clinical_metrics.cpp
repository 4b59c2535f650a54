// Throughput of compute_clinical_metrics (all 131 corpus keys + per-sample values) on random
// label matrices shaped like real reports (mostly blank). Run:
//   build/tools/bench-clinical-metrics/bench-clinical-metrics
#include <benchmark/benchmark.h>

#include <random>

#include "rrg/metrics/clinical/clinical.h"

namespace {

using rrg::chexpert::Label;
using rrg::chexpert::LabelRow;

std::vector<LabelRow> random_rows(std::size_t n, std::uint32_t seed) {
  std::mt19937 engine(seed);
  std::vector<LabelRow> rows(n);
  for (auto& row : rows) {
    for (auto& label : row) {
      const auto u = engine() % 100;  // 10% 1, 15% 0, 5% -1, 70% blank
      label = u < 10   ? Label::kPositive
              : u < 25 ? Label::kNegative
              : u < 30 ? Label::kUncertain
                       : Label::kBlank;
    }
  }
  return rows;
}

void BM_ClinicalMetrics(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto pred = random_rows(n, 1);
  const auto ref = random_rows(n, 2);
  const rrg::metrics::ClinicalOptions options{"rules@bench"};
  for (auto _ : state) {
    benchmark::DoNotOptimize(rrg::metrics::compute_clinical_metrics(pred, ref, options));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetLabel("items = report pairs");
}
BENCHMARK(BM_ClinicalMetrics)->Arg(1)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
