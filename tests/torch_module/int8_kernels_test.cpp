// Every int8 kernel gives bit for bit the portable kernel's results (src/torch_module/int8/):
// - each kernel this CPU can run, on random shapes with odd k and n tails, split into block
//   ranges as threads would; kernels the CPU lacks are skipped with the reason;
// - each SIMD kernel's tiling run with plain-C++ emulations of its instructions
//   (int8_emulated_ops.h), on every CPU, so AVX-512 and AVX-VNNI tiles, tails and epilogues are
//   checked here even without the hardware;
// - quantisation of ties, extremes, NaN and infinities;
// - the kernel choice: RRG_INT8_KERNEL's refusals, and the self-check catching a faulty kernel.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "rrg/core/cpu_features.h"
#include "rrg/core/errors.h"
#include "torch_module/int8/kernel_choice.h"
#include "torch_module/int8/kernels.h"
#include "torch_module/int8/quantize.h"

#define RRG_INT8_TARGET
#include "int8_emulated_ops.h"
#include "torch_module/int8/tiled_matmul.h"

namespace rrg::torch_module::int8 {
namespace {

using testing::DotInstruction;
using testing::EmulatedOps;

void emulated_avx2(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t b0,
                   std::int64_t b1) {
  tiled_matmul<EmulatedOps<8, DotInstruction::kMaddubs>, kAvx2TileRows, kAvx2TileVecs>(a, w, out,
                                                                                       b0, b1);
}
void emulated_avx_vnni(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t b0,
                       std::int64_t b1) {
  tiled_matmul<EmulatedOps<8, DotInstruction::kDpbusd>, kAvxVnniTileRows, kAvxVnniTileVecs>(
      a, w, out, b0, b1);
}
void emulated_avx512bw(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t b0,
                       std::int64_t b1) {
  tiled_matmul<EmulatedOps<16, DotInstruction::kMaddubs>, kAvx512BwTileRows, kAvx512BwTileVecs>(
      a, w, out, b0, b1);
}
void emulated_avx512_vnni(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t b0,
                          std::int64_t b1) {
  tiled_matmul<EmulatedOps<16, DotInstruction::kDpbusd>, kAvx512VnniTileRows, kAvx512VnniTileVecs>(
      a, w, out, b0, b1);
}

// A kernel under test: a real one (runs only where the CPU has it) or an emulated tiling (runs
// everywhere, with the portable quantisation).
struct KernelCase {
  std::string name;
  bool emulated;
  Int8Kernel kernel;
  KernelOps ops;
};

void PrintTo(const KernelCase& c, std::ostream* os) {
  *os << c.name;
}

std::vector<KernelCase> kernel_cases() {
  std::vector<KernelCase> cases;
  for (Int8Kernel kernel : all_int8_kernels()) {
    if (kernel == Int8Kernel::kPortable) continue;
    cases.push_back({int8_kernel_name(kernel), false, kernel, kernel_ops(kernel)});
  }
  const KernelOps& p = portable_kernel();
  cases.push_back(
      {"emulated_avx2", true, Int8Kernel::kAvx2, {p.max_abs, p.quantize, emulated_avx2}});
  cases.push_back(
      {"emulated_avxvnni", true, Int8Kernel::kAvxVnni, {p.max_abs, p.quantize, emulated_avx_vnni}});
  cases.push_back({"emulated_avx512bw",
                   true,
                   Int8Kernel::kAvx512Bw,
                   {p.max_abs, p.quantize, emulated_avx512bw}});
  cases.push_back({"emulated_avx512vnni",
                   true,
                   Int8Kernel::kAvx512Vnni,
                   {p.max_abs, p.quantize, emulated_avx512_vnni}});
  return cases;
}

struct Shape {
  std::int64_t m, k, n;
};

// Fixed shapes for every tail (rows mod 4 and 6, k mod 4, n mod 16 and 64, several L2 chunks),
// then random ones.
std::vector<Shape> shapes() {
  std::vector<Shape> out = {{1, 1, 1},       {3, 5, 7},      {4, 4, 16},     {5, 31, 17},
                            {6, 64, 64},     {7, 75, 83},    {9, 64, 33},    {13, 33, 100},
                            {17, 70, 48},    {6, 768, 40},   {37, 129, 200}, {2, 3072, 65},
                            {12, 2600, 130}, {25, 768, 256}, {1, 5000, 129}, {19, 3, 300}};
  std::mt19937 rng(20240516);
  std::uniform_int_distribution<std::int64_t> m(1, 40), k(1, 800), n(1, 300);
  for (int i = 0; i < 12; ++i) out.push_back({m(rng), k(rng), n(rng)});
  return out;
}

struct Data {
  std::vector<float> x, w, bias;
};

Data random_data(const Shape& s, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Data d;
  d.x.resize(static_cast<std::size_t>(s.m * s.k));
  for (float& v : d.x) v = normal(rng);
  // BERT-like outlier features: a few large activations.
  for (std::int64_t i = 0; i < s.m; i += 3) d.x[i * s.k + (i * 7) % s.k] = 30.0f * normal(rng);
  d.w.resize(static_cast<std::size_t>(s.n * s.k));
  for (float& v : d.w) v = 0.05f * normal(rng);
  d.bias.resize(static_cast<std::size_t>(s.n));
  for (float& v : d.bias) v = normal(rng);
  return d;
}

// Block ranges [0, blocks) cut at up to two random points.
std::vector<std::pair<std::int64_t, std::int64_t>> random_split(std::int64_t blocks,
                                                                std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> cut(0, blocks);
  std::int64_t a = cut(rng), b = cut(rng);
  if (a > b) std::swap(a, b);
  return {{0, a}, {a, b}, {b, blocks}};
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

class Int8KernelTest : public ::testing::TestWithParam<KernelCase> {
 protected:
  void SetUp() override {
    const KernelCase& c = GetParam();
    if (!c.emulated && !int8_kernel_runs_on(c.kernel, cpu_features())) {
      GTEST_SKIP() << "this CPU cannot run the " << c.name << " kernel (it runs "
                   << int8_kernels_text() << "); its emulated tiling is tested instead";
    }
  }
};

TEST_P(Int8KernelTest, BitIdenticalToThePortableKernel) {
  const KernelOps& ops = GetParam().ops;
  const KernelOps& portable = portable_kernel();
  std::mt19937 rng(7);
  for (const Shape& s : shapes()) {
    SCOPED_TRACE("m=" + std::to_string(s.m) + " k=" + std::to_string(s.k) +
                 " n=" + std::to_string(s.n));
    const Data d = random_data(s, static_cast<std::uint32_t>(s.m * 131 + s.k * 7 + s.n));
    const Int8Weights w = quantize_weights(ops, d.w.data(), d.bias.data(), s.n, s.k);
    const Int8Weights w_ref = quantize_weights(portable, d.w.data(), d.bias.data(), s.n, s.k);
    ASSERT_EQ(w.packed, w_ref.packed);
    ASSERT_EQ(w.offset_sums, w_ref.offset_sums);
    ASSERT_TRUE(same_bits(w.scales, w_ref.scales));
    Int8Rows a, a_ref;
    prepare_rows(s.m, s.k, a);
    prepare_rows(s.m, s.k, a_ref);
    quantize_rows(ops, d.x.data(), s.k, 0, s.m, a);
    quantize_rows(portable, d.x.data(), s.k, 0, s.m, a_ref);
    ASSERT_EQ(a.values, a_ref.values);
    ASSERT_TRUE(same_bits(a.scales, a_ref.scales));

    const std::int64_t blocks = int8_column_blocks(w);
    std::vector<float> out(static_cast<std::size_t>(s.m * s.n), -1.0f), want = out;
    portable.matmul(a_ref, w_ref, want.data(), 0, blocks);
    for (const auto& [begin, end] : random_split(blocks, rng)) {
      ops.matmul(a, w, out.data(), begin, end);
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      ASSERT_EQ(std::memcmp(&out[i], &want[i], sizeof(float)), 0)
          << "output [" << i / s.n << ", " << i % s.n << "]: " << out[i] << " instead of "
          << want[i];
    }
  }
}

// The largest sums: every activation +-127 (offset 255 or 1) against every weight +-63, where
// vpmaddubsw's pair sums reach 32130; the integer sum is known in closed form.
TEST_P(Int8KernelTest, ExtremeValuesAreExact) {
  const KernelOps& ops = GetParam().ops;
  const std::int64_t m = 2, k = 3072, n = 3;
  std::vector<float> x(m * k), w(n * k);
  for (std::int64_t t = 0; t < k; ++t) {
    x[t] = 2.0f;        // +127
    x[k + t] = -0.25f;  // -127
    w[t] = 1.0f;        // +63
    w[k + t] = -1.0f;   // -63
    w[2 * k + t] = t % 2 ? 3.0f : -3.0f;
  }
  const Int8Weights q = quantize_weights(ops, w.data(), nullptr, n, k);
  Int8Rows a;
  prepare_rows(m, k, a);
  quantize_rows(ops, x.data(), k, 0, m, a);
  std::vector<float> out(m * n);
  ops.matmul(a, q, out.data(), 0, int8_column_blocks(q));
  const float sx[2] = {2.0f / 127, 0.25f / 127}, sw[3] = {1.0f / 63, 1.0f / 63, 3.0f / 63};
  const float sums[2][3] = {{k * 127.0f * 63, -k * 127.0f * 63, 0},
                            {-k * 127.0f * 63, k * 127.0f * 63, 0}};
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j) {
      EXPECT_EQ(out[i * n + j], std::fma(sums[i][j], sx[i] * sw[j], 0.0f)) << i << ", " << j;
    }
  }
}

TEST_P(Int8KernelTest, QuantisesTiesExtremesAndNonFiniteValuesLikeThePortableKernel) {
  const KernelOps& ops = GetParam().ops;
  const KernelOps& portable = portable_kernel();
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x = {0.5f,   1.5f,    2.5f,    -0.5f,  -1.5f,   -2.5f, 126.5f, -126.5f,
                          127.0f, -127.0f, 127.49f, 300.0f, -300.0f, 3e9f,  -3e9f,  inf,
                          -inf,   nan,     -nan,    1e-40f, -0.0f,   0.0f,  63.5f,  64.5f};
  for (int i = 0; i < 45; ++i) x.push_back(static_cast<float>(i) * 0.37f - 8.0f);  // a tail
  for (std::size_t n = 0; n <= x.size(); ++n) {
    const float amax = ops.max_abs(x.data(), static_cast<std::int64_t>(n));
    const float amax_ref = portable.max_abs(x.data(), static_cast<std::int64_t>(n));
    EXPECT_EQ(std::memcmp(&amax, &amax_ref, sizeof amax), 0) << "n=" << n;
    for (std::uint8_t offset : {0, 128}) {
      std::vector<std::int8_t> q(n), q_ref(n);
      ops.quantize(x.data(), static_cast<std::int64_t>(n), 1.0f, offset, q.data());
      portable.quantize(x.data(), static_cast<std::int64_t>(n), 1.0f, offset, q_ref.data());
      ASSERT_EQ(q, q_ref) << "n=" << n << " offset " << int{offset};
    }
  }
  // Round half to even; saturation; -128 for NaN and out-of-int32 values.
  std::vector<std::int8_t> q(x.size());
  ops.quantize(x.data(), static_cast<std::int64_t>(x.size()), 1.0f, 0, q.data());
  const std::vector<int> want = {0,    2,    2,    0,   -2,   -2,   126,  -126,
                                 127,  -127, 127,  127, -128, -128, -128, -128,
                                 -128, -128, -128, 0,   0,    0,    64,   64};
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(q[i], want[i]) << "value " << x[i];
  // NaN is ignored by max_abs, infinity is not.
  const float with_nan[3] = {1.0f, nan, -2.0f};
  EXPECT_EQ(ops.max_abs(with_nan, 3), 2.0f);
  EXPECT_EQ(ops.max_abs(x.data(), 17), inf);
}

INSTANTIATE_TEST_SUITE_P(Kernels, Int8KernelTest, ::testing::ValuesIn(kernel_cases()),
                         [](const ::testing::TestParamInfo<KernelCase>& info) {
                           return info.param.name;
                         });

// The SIMD epilogues load a whole vector (up to 16 lanes) of offset sums, scales and biases from
// each tile's first column, a multiple of 16, even for a partial last block: the arrays must
// reach a multiple of 16 columns, zero-filled past n (AVX-512 tails are masked only on store).
TEST(Int8Weights, PerColumnArraysCoverWholeSixteenColumnBlocks) {
  const KernelOps& portable = portable_kernel();
  for (const std::int64_t n : {1, 15, 16, 17, 83, 100}) {
    const std::int64_t k = 5;
    std::vector<float> w(static_cast<std::size_t>(n * k), 0.25f), bias(n, 1.5f);
    const Int8Weights q = quantize_weights(portable, w.data(), bias.data(), n, k);
    EXPECT_EQ(q.n_padded % 16, 0) << n;
    EXPECT_GE(q.n_padded, n);
    EXPECT_LT(q.n_padded - n, 16);
    ASSERT_EQ(static_cast<std::int64_t>(q.offset_sums.size()), q.n_padded);
    ASSERT_EQ(static_cast<std::int64_t>(q.scales.size()), q.n_padded);
    ASSERT_EQ(static_cast<std::int64_t>(q.bias.size()), q.n_padded);
    EXPECT_EQ(static_cast<std::int64_t>(q.packed.size()), q.n_padded * q.k_padded);
    for (std::int64_t j = n; j < q.n_padded; ++j) {
      EXPECT_EQ(q.offset_sums[j], 0);
      EXPECT_EQ(q.scales[j], 0.0f);
      EXPECT_EQ(q.bias[j], 0.0f);
    }
  }
}

TEST(Int8SelfCheck, PassesForEveryKernelOfThisCpu) {
  for (Int8Kernel kernel : int8_kernels_for_this_cpu()) {
    EXPECT_EQ(int8_self_check(kernel), "") << int8_kernel_name(kernel);
  }
}

TEST(Int8SelfCheck, PassesForTheEmulatedTilings) {
  for (const KernelCase& c : kernel_cases()) {
    if (c.emulated) {
      EXPECT_EQ(int8_self_check(c.ops), "") << c.name;
    }
  }
}

// A kernel that is wrong only in the last column of a partial block, as a tail bug would be.
void faulty_matmul(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t b0,
                   std::int64_t b1) {
  portable_kernel().matmul(a, w, out, b0, b1);
  if (b1 * 16 >= w.n && b0 * 16 < w.n) out[(a.m - 1) * w.n + w.n - 1] += 1.0f;
}

// A kernel that computes right but writes one value past its output.
void overrunning_matmul(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t b0,
                        std::int64_t b1) {
  portable_kernel().matmul(a, w, out, b0, b1);
  if (b1 * 16 >= w.n && b0 * 16 < w.n) out[a.m * w.n] = 0.0f;
}

TEST(Int8SelfCheck, CatchesAFaultyKernel) {
  const KernelOps& p = portable_kernel();
  const std::string wrong = int8_self_check(KernelOps{p.max_abs, p.quantize, faulty_matmul});
  EXPECT_NE(wrong.find("output [6, 82] of a 7 x 75 x 83 product is"), std::string::npos) << wrong;
  const std::string overrun = int8_self_check(KernelOps{p.max_abs, p.quantize, overrunning_matmul});
  EXPECT_EQ(overrun, "it writes past the end of its output");
}

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

const std::vector<Int8Kernel> kAvx2Machine = {Int8Kernel::kAvx2, Int8Kernel::kPortable};
const std::vector<Int8Kernel> kVnniMachine = {Int8Kernel::kAvx512Vnni, Int8Kernel::kAvx512Bw,
                                              Int8Kernel::kAvx2, Int8Kernel::kPortable};

TEST(Int8KernelChoice, TakesTheFastestKernelThatPassesItsSelfCheck) {
  std::vector<std::string> checked;
  const auto passes = [&](Int8Kernel kernel) {
    checked.push_back(int8_kernel_name(kernel));
    return std::string();
  };
  const Int8KernelChoice best = choose_int8_kernel(nullptr, kVnniMachine, passes);
  EXPECT_EQ(best.kernel, Int8Kernel::kAvx512Vnni);
  EXPECT_EQ(best.note, "");
  EXPECT_EQ(checked, std::vector<std::string>{"avx512vnni"});
  EXPECT_EQ(choose_int8_kernel("", kAvx2Machine, passes).kernel, Int8Kernel::kAvx2);
}

TEST(Int8KernelChoice, FallsBackPastAKernelThatFailsItsSelfCheckAndSaysWhy) {
  const auto vnni_broken = [](Int8Kernel kernel) {
    return kernel == Int8Kernel::kAvx512Vnni ? std::string("output [0, 1] is 2 instead of 3")
                                             : std::string();
  };
  const Int8KernelChoice choice = choose_int8_kernel(nullptr, kVnniMachine, vnni_broken);
  EXPECT_EQ(choice.kernel, Int8Kernel::kAvx512Bw);
  EXPECT_EQ(choice.note,
            "avx512vnni failed its start-up self-check (output [0, 1] is 2 instead of 3)");
  const auto all_broken = [](Int8Kernel) { return std::string("wrong"); };
  const Int8KernelChoice last = choose_int8_kernel(nullptr, kAvx2Machine, all_broken);
  EXPECT_EQ(last.kernel, Int8Kernel::kPortable);
  EXPECT_EQ(last.note, "avx2 failed its start-up self-check (wrong)");
}

TEST(Int8KernelChoice, ForcedKernel) {
  const auto passes = [](Int8Kernel) { return std::string(); };
  const Int8KernelChoice portable = choose_int8_kernel("portable", kVnniMachine, passes);
  EXPECT_EQ(portable.kernel, Int8Kernel::kPortable);
  EXPECT_EQ(portable.note, "forced by RRG_INT8_KERNEL");
  EXPECT_EQ(choose_int8_kernel("avx2", kVnniMachine, passes).kernel, Int8Kernel::kAvx2);

  EXPECT_THROW(choose_int8_kernel("avx512vnni", kAvx2Machine, passes), rrg::InputError);
  EXPECT_EQ(message_of([&] { choose_int8_kernel("avx512vnni", kAvx2Machine, passes); }),
            "RRG_INT8_KERNEL=avx512vnni: this CPU cannot run the avx512vnni kernel (it can run "
            "avx2, portable)");
  EXPECT_THROW(choose_int8_kernel("sse2", kAvx2Machine, passes), rrg::InputError);
  EXPECT_EQ(message_of([&] { choose_int8_kernel("sse2", kAvx2Machine, passes); }),
            "RRG_INT8_KERNEL=sse2 names no int8 kernel; use one of avx512vnni, avxvnni, "
            "avx512bw, avx2, portable");
  const auto fails = [](Int8Kernel) { return std::string("its quantised weights differ"); };
  EXPECT_EQ(message_of([&] { choose_int8_kernel("avx2", kAvx2Machine, fails); }),
            "RRG_INT8_KERNEL=avx2: the kernel failed its start-up self-check against the "
            "portable kernel (its quantised weights differ)");
}

}  // namespace
}  // namespace rrg::torch_module::int8
