// The int8 matrix product behind CheXbert's int8 path (src/torch_module/int8_gemm.h, through the
// kernel chosen for this CPU; torch-free). Checked against a scalar re-implementation of the same
// quantisation with exact integer sums, on sizes that exercise every padding and remainder path,
// and against the float32 product it approximates. int8_kernels_test checks that every kernel
// gives the same bits.
#include "torch_module/int8_gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace rrg::torch_module {
namespace {

std::vector<float> random_matrix(std::int64_t rows, std::int64_t cols, float std_dev,
                                 std::mt19937& rng) {
  std::normal_distribution<float> dist(0.0f, std_dev);
  std::vector<float> out(static_cast<std::size_t>(rows * cols));
  for (auto& v : out) v = dist(rng);
  return out;
}

// Symmetric quantisation of one row to [-levels, levels], as int8_gemm.h specifies.
std::vector<int> quantize_reference(const float* x, std::int64_t n, int levels, float& scale) {
  float amax = 0;
  for (std::int64_t i = 0; i < n; ++i) amax = std::max(amax, std::fabs(x[i]));
  scale = amax > 0 ? amax / static_cast<float>(levels) : 0.0f;
  const float inv = amax > 0 ? static_cast<float>(levels) / amax : 0.0f;
  std::vector<int> q(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) q[i] = static_cast<int>(std::nearbyint(x[i] * inv));
  return q;
}

struct Case {
  std::int64_t m, k, n;
};

class Int8GemmTest : public ::testing::TestWithParam<Case> {};

TEST_P(Int8GemmTest, EqualsExactIntegerReference) {
  const auto [m, k, n] = GetParam();
  std::mt19937 rng(static_cast<unsigned>(m * 1000003 + k * 1009 + n));
  const auto x = random_matrix(m, k, 1.0f, rng);
  const auto w = random_matrix(n, k, 0.05f, rng);
  const auto b = random_matrix(1, n, 0.5f, rng);
  std::vector<float> x_zero_row = x;
  for (std::int64_t i = 0; i < k; ++i) x_zero_row[i] = 0.0f;  // row 0 all zeros: scale 0

  const Int8Weights packed = quantize_weights(w.data(), b.data(), n, k);
  Int8Rows rows;
  prepare_rows(m, k, rows);
  quantize_rows(x_zero_row.data(), k, 0, m, rows);
  std::vector<float> out(static_cast<std::size_t>(m * n), -1.0f);
  // Two calls over disjoint block ranges, as parallel workers would make them.
  const std::int64_t blocks = int8_column_blocks(packed), half = blocks / 2;
  int8_matmul(rows, packed, out.data(), 0, half);
  int8_matmul(rows, packed, out.data(), half, blocks);

  std::vector<std::vector<int>> qw(static_cast<std::size_t>(n));
  std::vector<float> sw(static_cast<std::size_t>(n));
  for (std::int64_t j = 0; j < n; ++j) {
    qw[j] = quantize_reference(w.data() + j * k, k, kWeightLevels, sw[j]);
    for (int v : qw[j]) ASSERT_LE(std::abs(v), kWeightLevels);
  }
  for (std::int64_t i = 0; i < m; ++i) {
    float sx;
    const auto qx = quantize_reference(x_zero_row.data() + i * k, k, kActivationLevels, sx);
    for (std::int64_t j = 0; j < n; ++j) {
      std::int64_t sum = 0;
      for (std::int64_t t = 0; t < k; ++t) sum += static_cast<std::int64_t>(qx[t]) * qw[j][t];
      // The integer sum is exact and the epilogue rounds as specified: equal, not near.
      const float want = std::fma(static_cast<float>(sum), sx * sw[j], b[j]);
      EXPECT_EQ(out[i * n + j], want) << "row " << i << " column " << j;
    }
  }
  for (std::int64_t j = 0; j < n; ++j) EXPECT_EQ(out[j], b[j]);  // the zero row gives the bias
}

TEST_P(Int8GemmTest, ApproximatesTheFloatProduct) {
  const auto [m, k, n] = GetParam();
  std::mt19937 rng(static_cast<unsigned>(m + k + n));
  const auto x = random_matrix(m, k, 1.0f, rng);
  const auto w = random_matrix(n, k, 0.05f, rng);
  const Int8Weights packed = quantize_weights(w.data(), nullptr, n, k);
  Int8Rows rows;
  prepare_rows(m, k, rows);
  quantize_rows(x.data(), k, 0, m, rows);
  std::vector<float> out(static_cast<std::size_t>(m * n));
  int8_matmul(rows, packed, out.data(), 0, int8_column_blocks(packed));
  double err = 0, ref = 0;
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double exact = 0;
      for (std::int64_t t = 0; t < k; ++t) exact += double(x[i * k + t]) * w[j * k + t];
      err += (out[i * n + j] - exact) * (out[i * n + j] - exact);
      ref += exact * exact;
    }
  }
  // 7-bit weights and 8-bit activations: a few percent of relative RMS error at most.
  EXPECT_LT(std::sqrt(err / ref), 0.05) << "m=" << m << " k=" << k << " n=" << n;
}

INSTANTIATE_TEST_SUITE_P(Sizes, Int8GemmTest,
                         ::testing::Values(Case{1, 1, 1}, Case{3, 5, 7}, Case{4, 4, 16},
                                           Case{5, 31, 17}, Case{9, 64, 33}, Case{17, 70, 48},
                                           Case{6, 768, 40}, Case{13, 33, 100}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return "m" + std::to_string(info.param.m) + "_k" +
                                  std::to_string(info.param.k) + "_n" +
                                  std::to_string(info.param.n);
                         });

}  // namespace
}  // namespace rrg::torch_module
