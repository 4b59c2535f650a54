// Inside librrg_torch.so: int8 matrix products for the int8 CheXbert path (torch-free, so the
// tests can check them without libtorch).
//
// Dynamic quantisation as in PyTorch's quantize_dynamic, with finer scales: activations are
// quantised per input row at run time (symmetric, scale = max|x| / 127, values in [-127, 127]),
// weights once per output row (symmetric, scale = max|w| / 63, values in [-63, 63]); products are
// summed exactly in int32 and the result is scale_x * scale_w * sum + bias. libtorch 1.13's own
// int8 kernels (oneDNN, QNNPACK) are no faster than OpenBLAS fp32 on AVX2 machines without VNNI,
// hence this kernel. AVX2's vpmaddubsw multiplies unsigned by signed bytes and sums adjacent pairs
// into int16 with saturation, so activations enter offset by 128 (0..254) and weights keep 7 bits:
// 2 * 254 * 63 < 32767, no pair can saturate; the offset is removed exactly with the weights'
// row sums (128 * sum_k w[j, k]). 7-bit weights rather than 7-bit activations because BERT's
// activations, with their outlier features, are the harder ones to quantise.
#pragma once

#include <cstdint>
#include <vector>

namespace rrg::torch_module {

// A weight matrix [n, k] quantised per row and packed for the kernel: blocks of 8 output rows,
// each stored as k_padded/4 groups of 32 bytes (row 0's 4 values, row 1's 4 values, ...).
struct Int8Weights {
  std::int64_t n = 0, k = 0;                // logical sizes
  std::int64_t n_padded = 0, k_padded = 0;  // multiples of 16 and 4 (zero-filled)
  std::vector<std::int8_t> packed;          // values in [-63, 63]
  std::vector<std::int32_t> row_sums;       // [n_padded]: sum_k of each row's values
  std::vector<float> scales;                // [n_padded]
  std::vector<float> bias;                  // [n_padded]
};

inline constexpr int kWeightLevels = 63;       // weights in [-63, 63]
inline constexpr int kActivationLevels = 127;  // activations in [-127, 127]

// Quantises `weight` ([n, k] row-major) and copies `bias` ([n], or nullptr for none).
Int8Weights quantize_weights(const float* weight, const float* bias, std::int64_t n,
                             std::int64_t k);

// Activation rows quantised for the kernel.
struct Int8Rows {
  std::int64_t m = 0, k_padded = 0;
  std::vector<std::uint8_t> values;  // [m, k_padded]: quantised value + 128 (padding: 128)
  std::vector<float> scales;         // [m]
};

// Sizes `out` for an [m, k] activation matrix; `k` must equal the weights' k.
void prepare_rows(std::int64_t m, std::int64_t k, Int8Rows& out);

// Quantises rows [row_begin, row_end) of `x` ([m, k] row-major) into `out` (prepared). Row ranges
// are the unit of parallel work.
void quantize_rows(const float* x, std::int64_t k, std::int64_t row_begin, std::int64_t row_end,
                   Int8Rows& out);

// out[i, j] = a.scales[i] * w.scales[j] * sum_k a[i, k] * w[j, k] + w.bias[j] for every row i
// and the columns j of the 16-column blocks [block_begin, block_end) that are < w.n; `out` is
// [a.m, w.n] row-major. Blocks are the unit of parallel work.
void int8_matmul(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t block_begin,
                 std::int64_t block_end);

inline std::int64_t int8_column_blocks(const Int8Weights& w) {
  return w.n_padded / 16;
}

// True when this CPU has AVX2 (the kernel's instruction set).
bool int8_matmul_supported();

}  // namespace rrg::torch_module
