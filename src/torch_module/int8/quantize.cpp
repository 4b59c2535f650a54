// Weight and activation quantisation (see int8_gemm.h and quantize.h).
#include "torch_module/int8/quantize.h"

#include <algorithm>
#include <string>
#include <vector>

#include "rrg/core/errors.h"

namespace rrg::torch_module::int8 {
namespace {

std::int64_t round_up(std::int64_t x, std::int64_t multiple) {
  return (x + multiple - 1) / multiple * multiple;
}

}  // namespace

Int8Weights quantize_weights(const KernelOps& ops, const float* weight, const float* bias,
                             std::int64_t n, std::int64_t k) {
  if (k > kMaxInt8K) {
    throw rrg::InputError("int8: a linear layer with " + std::to_string(k) +
                          " inputs is longer than the int8 kernels' limit of " +
                          std::to_string(kMaxInt8K) + " (int32 sums could overflow)");
  }
  Int8Weights w;
  w.n = n;
  w.k = k;
  w.n_padded = round_up(n, 16);
  w.k_padded = round_up(k, 4);
  w.packed.assign(static_cast<std::size_t>(w.n_padded * w.k_padded), 0);
  w.offset_sums.assign(static_cast<std::size_t>(w.n_padded), 0);
  w.scales.assign(static_cast<std::size_t>(w.n_padded), 0.0f);
  w.bias.assign(static_cast<std::size_t>(w.n_padded), 0.0f);
  std::vector<std::int8_t> row(static_cast<std::size_t>(k));
  for (std::int64_t j = 0; j < n; ++j) {
    const float amax = ops.max_abs(weight + j * k, k);
    w.scales[j] = amax > 0 ? amax / kWeightLevels : 0.0f;
    ops.quantize(weight + j * k, k, amax > 0 ? kWeightLevels / amax : 0.0f, 0, row.data());
    if (bias != nullptr) w.bias[j] = bias[j];
    // Block j / 16, group i / 4: 64 bytes, row j % 16 at byte 4 * (j % 16).
    std::int8_t* block = w.packed.data() + (j / 16) * 16 * w.k_padded;
    for (std::int64_t i = 0; i < k; ++i) {
      // Finite weights are in [-63, 63] already; NaN and infinite ones are not, and no weight may
      // leave that range, or vpmaddubsw could saturate and the kernels would disagree.
      const auto v =
          static_cast<std::int8_t>(std::clamp<int>(row[i], -kWeightLevels, kWeightLevels));
      block[(i / 4) * 64 + (j % 16) * 4 + i % 4] = v;
      w.offset_sums[j] += 128 * v;
    }
  }
  return w;
}

void quantize_rows(const KernelOps& ops, const float* x, std::int64_t k, std::int64_t row_begin,
                   std::int64_t row_end, Int8Rows& out) {
  for (std::int64_t i = row_begin; i < row_end; ++i) {
    const float amax = ops.max_abs(x + i * k, k);
    out.scales[i] = amax > 0 ? amax / kActivationLevels : 0.0f;
    ops.quantize(x + i * k, k, amax > 0 ? kActivationLevels / amax : 0.0f, 128,
                 reinterpret_cast<std::int8_t*>(out.values.data() + i * out.k_padded));
  }
}

}  // namespace rrg::torch_module::int8
