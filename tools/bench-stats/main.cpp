// bench-stats: Google Benchmark timings of rrg's statistics streams and tests.
//
//   build/tools/bench-stats/bench-stats
//   build/tools/bench-stats/bench-stats --benchmark_filter=Ar
//
// Counters: ns_per_output = nanoseconds per 32-bit MT output, ns_per_decision = per random()
// draw (two outputs, one swap decision). The AR benchmarks time a whole
// approximate_randomization() run over a cheap count-based metric (the randomized totals of one
// per-sample integer, from MaskedIntegerSum), so they measure the stream plus the driver.
#include <benchmark/benchmark.h>

#include <time.h>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "rrg/stats/approximate_randomization.h"
#include "rrg/stats/masked_sum.h"
#include "rrg/stats/mt19937.h"
#include "rrg/stats/numpy_random_state.h"
#include "rrg/stats/paired_bootstrap.h"
#include "rrg/stats/python_random.h"

namespace {

using rrg::stats::Mt19937;
using rrg::stats::PythonRandom;

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

void set_output_counters(benchmark::State& state, double outputs_per_iteration) {
  state.counters["ns_per_output"] = benchmark::Counter(
      outputs_per_iteration * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["ns_per_decision"] = benchmark::Counter(
      outputs_per_iteration / 2 * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// One block twist (624 outputs) with each kernel.
void BM_Twist(benchmark::State& state) {
  const auto* kernels = state.range(0) == 0 ? &rrg::stats::detail::portable_mt19937_kernels()
                                            : rrg::stats::detail::avx2_mt19937_kernels();
  if (kernels == nullptr) {
    state.SkipWithError("no AVX2");
    return;
  }
  state.SetLabel(kernels->name);
  Mt19937 engine;
  for (auto _ : state) {
    kernels->twist(engine.mutable_words());
    benchmark::DoNotOptimize(engine.mutable_words());
  }
  set_output_counters(state, rrg::stats::kMtWords);
}
BENCHMARK(BM_Twist)->Arg(0)->Arg(1);

void BM_TwistAndDecide(benchmark::State& state) {
  const auto* kernels = state.range(0) == 0 ? &rrg::stats::detail::portable_mt19937_kernels()
                                            : rrg::stats::detail::avx2_mt19937_kernels();
  if (kernels == nullptr) {
    state.SkipWithError("no AVX2");
    return;
  }
  state.SetLabel(kernels->name);
  Mt19937 engine;
  std::uint64_t bits[5];
  for (auto _ : state) {
    kernels->twist_and_decide(engine.mutable_words(), bits);
    benchmark::DoNotOptimize(bits);
  }
  set_output_counters(state, rrg::stats::kMtWords);
}
BENCHMARK(BM_TwistAndDecide)->Arg(0)->Arg(1);

void BM_Decide(benchmark::State& state) {
  const auto* kernels = state.range(0) == 0 ? &rrg::stats::detail::portable_mt19937_kernels()
                                            : rrg::stats::detail::avx2_mt19937_kernels();
  if (kernels == nullptr) {
    state.SkipWithError("no AVX2");
    return;
  }
  state.SetLabel(kernels->name);
  Mt19937 engine;
  engine.twist();
  std::uint64_t bits[5];
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.mutable_words());
    kernels->decide(engine.mutable_words(), bits);
    benchmark::DoNotOptimize(bits);
  }
  set_output_counters(state, rrg::stats::kMtWords);
}
BENCHMARK(BM_Decide)->Arg(0)->Arg(1);

// Swap masks of 3,000 samples (one AR trial each), 1,000 trials per iteration.
void BM_SwapMasks(benchmark::State& state) {
  const std::size_t samples = static_cast<std::size_t>(state.range(0));
  const std::size_t trials = 1000;
  PythonRandom rng(12345);
  std::vector<std::uint64_t> masks(trials * PythonRandom::words_per_mask(samples));
  for (auto _ : state) {
    rng.swap_masks(masks.data(), trials, samples);
    benchmark::DoNotOptimize(masks.data());
  }
  set_output_counters(state, 2.0 * static_cast<double>(trials * samples));
}
BENCHMARK(BM_SwapMasks)->Arg(3000)->Arg(50);

// random() one draw at a time, for comparison.
void BM_RandomScalar(benchmark::State& state) {
  PythonRandom rng(12345);
  double sum = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) sum += rng.random();
  }
  benchmark::DoNotOptimize(sum);
  set_output_counters(state, 2000);
}
BENCHMARK(BM_RandomScalar);

// Jump-ahead by `range(0)` * 10^6 outputs.
void BM_Jump(benchmark::State& state) {
  const std::uint64_t outputs = static_cast<std::uint64_t>(state.range(0)) * 1'000'000ull;
  Mt19937 engine;
  for (auto _ : state) {
    engine.discard(outputs);
    benchmark::DoNotOptimize(engine.mutable_words());
  }
  state.SetLabel(std::to_string(outputs) + " outputs");
}
BENCHMARK(BM_Jump)->Arg(11)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// A count-based metric: the randomized systems' totals of one per-sample integer (as the lead's
// BLEU / F1 trials do with their several counts).
class CountMetric : public rrg::stats::PairedMetric {
 public:
  CountMetric(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
    std::vector<std::int64_t> delta(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      delta[i] = b[i] - a[i];
      total_a_ += a[i];
      total_b_ += b[i];
    }
    delta_ = rrg::stats::MaskedIntegerSum(delta);
    n_ = static_cast<double>(a.size());
  }
  std::pair<double, double> trial(const std::uint64_t* swap) const override {
    const std::int64_t moved = delta_(swap);
    return {static_cast<double>(total_a_ + moved) / n_, static_cast<double>(total_b_ - moved) / n_};
  }

 private:
  rrg::stats::MaskedIntegerSum delta_;
  std::int64_t total_a_ = 0, total_b_ = 0;
  double n_ = 1;
};

// 2 compared systems x `range(1)` metrics, 3,000 samples, 10,000 trials, `range(0)` threads.
void BM_ArCountMetric(benchmark::State& state) {
  const unsigned threads = static_cast<unsigned>(state.range(0));
  const std::size_t metrics = static_cast<std::size_t>(state.range(1));
  const std::size_t samples = 3000;
  std::mt19937 source(7);
  std::vector<std::unique_ptr<CountMetric>> owned;
  std::vector<const rrg::stats::PairedMetric*> jobs;
  for (std::size_t j = 0; j < 2 * metrics; ++j) {
    std::vector<std::int64_t> a(samples), b(samples);
    for (std::size_t i = 0; i < samples; ++i) {
      a[i] = static_cast<std::int64_t>(source() % 40);
      b[i] = static_cast<std::int64_t>(source() % 42);
    }
    owned.push_back(std::make_unique<CountMetric>(a, b));
    jobs.push_back(owned.back().get());
  }
  rrg::stats::ApproximateRandomizationOptions options;
  options.threads = threads;
  // CPU time of all threads: on a busy machine wall time says little about scaling, the sum
  // over threads shows the work added by splitting (jumps, idle waits).
  double process_cpu = 0;
  for (auto _ : state) {
    const double before = process_cpu_seconds();
    auto results = rrg::stats::approximate_randomization(jobs, samples, options);
    benchmark::DoNotOptimize(results.data());
    process_cpu += process_cpu_seconds() - before;
  }
  state.counters["cpu_all_threads_ms"] =
      benchmark::Counter(1e3 * process_cpu / static_cast<double>(state.iterations()));
  const double decisions = static_cast<double>(jobs.size() * options.trials * samples);
  set_output_counters(state, 2 * decisions);
  state.SetLabel(std::to_string(jobs.size()) + " jobs, " + std::to_string(threads) + " threads");
}
BENCHMARK(BM_ArCountMetric)
    ->Args({1, 4})
    ->Args({2, 4})
    ->Args({1, 68})
    ->Args({2, 68})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

// One masked sum over 3,000 samples of values in [-range, range] (e.g. a count's B - A).
void BM_MaskedSum(benchmark::State& state) {
  const std::size_t samples = 3000;
  const auto range = static_cast<std::int64_t>(state.range(0));
  std::mt19937_64 source(3);
  std::vector<std::int64_t> values(samples);
  for (auto& v : values) {
    v = static_cast<std::int64_t>(source() % static_cast<std::uint64_t>(2 * range + 1)) - range;
  }
  const rrg::stats::MaskedIntegerSum sum(values);
  std::vector<std::uint64_t> mask(PythonRandom::words_per_mask(samples));
  for (auto& w : mask) w = source();
  std::int64_t total = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mask.data());
    total += sum(mask.data());
  }
  benchmark::DoNotOptimize(total);
  state.SetLabel(std::to_string(sum.planes()) + " planes");
}
BENCHMARK(BM_MaskedSum)->Arg(1)->Arg(41)->Arg(1000);

// Resample indices of the bootstrap: 1,000 x randint(0, 3000, size=3000).
void BM_BootstrapIndices(benchmark::State& state) {
  std::vector<std::uint32_t> indices(3000);
  for (auto _ : state) {
    rrg::stats::NumpyRandomState rs(12345);
    for (int r = 0; r < 1000; ++r) rs.indices(3000, indices.data(), indices.size());
    benchmark::DoNotOptimize(indices.data());
  }
}
BENCHMARK(BM_BootstrapIndices)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
