// The portable int8 kernel: plain C++ for every CPU, and the reference the SIMD kernels are
// checked against (bit for bit: at start-up, int8/kernel_choice.cpp, and in the tests). Written
// as the definition reads, not as the SIMD kernels compute it: the signed dot product directly,
// without the +128 offset and its correction.
#include <algorithm>
#include <cmath>
#include <vector>

#include "torch_module/int8/kernels.h"

namespace rrg::torch_module::int8 {
namespace {

float max_abs(const float* x, std::int64_t n) {
  float m = 0;
  for (std::int64_t i = 0; i < n; ++i) m = std::fabs(x[i]) > m ? std::fabs(x[i]) : m;
  return m;
}

// What cvtps2dq (round half to even in the default rounding mode; 0x80000000 for NaN and values
// outside int32), then packssdw and packsswb (saturation) make of `r`.
std::int8_t to_int8(float r) {
  if (!(r > -2147483648.0f && r < 2147483648.0f)) return -128;
  const auto v = static_cast<std::int64_t>(std::nearbyint(r));
  return static_cast<std::int8_t>(std::clamp<std::int64_t>(v, -128, 127));
}

void quantize(const float* x, std::int64_t n, float inv, std::uint8_t offset, std::int8_t* q) {
  for (std::int64_t i = 0; i < n; ++i) {
    q[i] = static_cast<std::int8_t>(static_cast<std::uint8_t>(to_int8(x[i] * inv)) ^ offset);
  }
}

// Exact: |sum| <= k * 128 * 63 < 2^31 for k <= kMaxInt8K. int16 operands let compilers use
// multiply-add-pairs instructions (pmaddwd on baseline x86-64).
std::int32_t dot(const std::int16_t* a, const std::int16_t* b, std::int64_t n) {
  std::int32_t sum = 0;
  for (std::int64_t t = 0; t < n; ++t) sum += std::int32_t{a[t]} * std::int32_t{b[t]};
  return sum;
}

void matmul(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t block_begin,
            std::int64_t block_end) {
  const std::int64_t kp = w.k_padded;
  std::vector<std::int16_t> rows(static_cast<std::size_t>(a.m * kp));
  for (std::size_t t = 0; t < rows.size(); ++t) rows[t] = std::int16_t(a.values[t] - 128);
  std::vector<std::int16_t> columns(static_cast<std::size_t>(16 * kp));
  for (std::int64_t b = block_begin; b < block_end && b * 16 < w.n; ++b) {
    // Column 16 b + c is lane c of block b: 4 bytes in every 64-byte group.
    const std::int8_t* block = w.packed.data() + b * 16 * kp;
    const std::int64_t width = std::min<std::int64_t>(16, w.n - b * 16);
    for (std::int64_t c = 0; c < width; ++c) {
      for (std::int64_t t = 0; t < kp; ++t)
        columns[c * kp + t] = block[(t / 4) * 64 + c * 4 + t % 4];
    }
    for (std::int64_t i = 0; i < a.m; ++i) {
      for (std::int64_t c = 0; c < width; ++c) {
        const std::int64_t j = b * 16 + c;
        const std::int32_t sum = dot(rows.data() + i * kp, columns.data() + c * kp, kp);
        out[i * w.n + j] = std::fma(static_cast<float>(sum), a.scales[i] * w.scales[j], w.bias[j]);
      }
    }
  }
}

}  // namespace

const KernelOps& portable_kernel() {
  static const KernelOps ops{max_abs, quantize, matmul};
  return ops;
}

}  // namespace rrg::torch_module::int8
