// bench-int8-gemm: one core's speed of every int8 kernel this CPU runs (src/torch_module/int8/)
// against the float32 sgemm of the BLAS libtorch uses (libblas.so.3: OpenBLAS on a set-up
// machine), on the matrix products of a bert-base encoder layer.
//
//   build/bench-int8-gemm                                  # every kernel and shape
//   build/bench-int8-gemm --benchmark_filter='m1024/'      # one batch size
//   build/bench-int8-gemm --benchmark_repetitions=9 --benchmark_report_aggregates_only=true
//                                                          # on a busy machine: see *_fastest
//
// Names: <kernel>/m<rows>/k<inputs>/n<outputs>; "sgemm" is cblas_sgemm (x W^T, one thread).
// items_per_second is multiply-adds per second; "quantize" adds the per-row activation
// quantisation every int8 product pays at run time. m = 1024 is a batch of 64 reports of 16
// tokens (m = 320: of 5 tokens); m = 64 is the last layer, which runs only [CLS].
#include <benchmark/benchmark.h>
#include <cblas.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "rrg/core/cpu_features.h"
#include "torch_module/int8/kernels.h"
#include "torch_module/int8/quantize.h"

namespace {

using rrg::torch_module::Int8Rows;
using rrg::torch_module::Int8Weights;
namespace int8 = rrg::torch_module::int8;

struct Shape {
  std::int64_t m, k, n;
};

struct Inputs {
  std::vector<float> x, w, bias;
};

Inputs make_inputs(const Shape& s) {
  std::mt19937 rng(static_cast<unsigned>(s.m * 31 + s.k * 7 + s.n));
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Inputs in;
  in.x.resize(static_cast<std::size_t>(s.m * s.k));
  for (float& v : in.x) v = normal(rng);
  in.w.resize(static_cast<std::size_t>(s.n * s.k));
  for (float& v : in.w) v = 0.02f * normal(rng);
  in.bias.assign(static_cast<std::size_t>(s.n), 0.1f);
  return in;
}

void set_counters(benchmark::State& state, const Shape& s) {
  state.SetItemsProcessed(state.iterations() * s.m * s.k * s.n);
}

void bench_int8(benchmark::State& state, rrg::Int8Kernel kernel, Shape s, bool quantize) {
  const int8::KernelOps& ops = int8::kernel_ops(kernel);
  const Inputs in = make_inputs(s);
  const Int8Weights w = int8::quantize_weights(ops, in.w.data(), in.bias.data(), s.n, s.k);
  Int8Rows a;
  rrg::torch_module::prepare_rows(s.m, s.k, a);
  int8::quantize_rows(ops, in.x.data(), s.k, 0, s.m, a);
  std::vector<float> out(static_cast<std::size_t>(s.m * s.n));
  for (auto _ : state) {
    if (quantize) int8::quantize_rows(ops, in.x.data(), s.k, 0, s.m, a);
    ops.matmul(a, w, out.data(), 0, rrg::torch_module::int8_column_blocks(w));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s);
}

void bench_sgemm(benchmark::State& state, Shape s) {
  const Inputs in = make_inputs(s);
  std::vector<float> out(static_cast<std::size_t>(s.m * s.n));
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(s.m),
                static_cast<int>(s.n), static_cast<int>(s.k), 1.0f, in.x.data(),
                static_cast<int>(s.k), in.w.data(), static_cast<int>(s.k), 0.0f, out.data(),
                static_cast<int>(s.n));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s);
}

// One thread for OpenBLAS (the int8 kernels run on one core here too).
void single_threaded_blas() {
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    set(1);
  }
}

std::string blas_library() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&cblas_sgemm), &info) != 0 && info.dli_fname != nullptr) {
    return info.dli_fname;
  }
  return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
  single_threaded_blas();
  std::printf("int8 kernels of this CPU: %s; sgemm from %s\n", rrg::int8_kernels_text().c_str(),
              blas_library().c_str());
  const std::vector<Shape> shapes = {{1024, 768, 2304}, {1024, 768, 768}, {1024, 768, 3072},
                                     {1024, 3072, 768}, {320, 768, 2304}, {320, 3072, 768},
                                     {64, 768, 768},    {64, 768, 3072},  {64, 3072, 768}};
  // "_fastest": the fastest repetition (--benchmark_repetitions=N), the least disturbed by
  // other jobs on a shared machine.
  const auto fastest = [](const std::vector<double>& v) {
    return *std::min_element(v.begin(), v.end());
  };
  for (const Shape& s : shapes) {
    const std::string suffix =
        "/m" + std::to_string(s.m) + "/k" + std::to_string(s.k) + "/n" + std::to_string(s.n);
    benchmark::RegisterBenchmark(("sgemm" + suffix).c_str(), bench_sgemm, s)
        ->ComputeStatistics("fastest", fastest);
    for (rrg::Int8Kernel kernel : rrg::int8_kernels_for_this_cpu()) {
      const std::string name = rrg::int8_kernel_name(kernel);
      benchmark::RegisterBenchmark((name + suffix).c_str(), bench_int8, kernel, s, false)
          ->ComputeStatistics("fastest", fastest);
      benchmark::RegisterBenchmark((name + "+quantize" + suffix).c_str(), bench_int8, kernel, s,
                                   true)
          ->ComputeStatistics("fastest", fastest);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
