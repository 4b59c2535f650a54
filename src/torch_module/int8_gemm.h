// Inside librrg_torch.so: int8 matrix products for the int8 CheXbert path (torch-free, so the
// tests can check them without libtorch).
//
// Dynamic quantisation as in PyTorch's quantize_dynamic, with finer scales: activations are
// quantised per input row at run time (symmetric, scale = max|x| / 127, values in [-127, 127]),
// weights once per output row (symmetric, scale = max|w| / 63, values in [-63, 63]); products are
// summed exactly in int32 and the result is scale_x * scale_w * sum + bias. libtorch 1.13's own
// int8 kernels (oneDNN, QNNPACK) are no faster than OpenBLAS fp32 on AVX2 machines without VNNI,
// hence these kernels.
//
// One of several kernels runs, chosen once per process from the CPU (int8/kernel_choice.h:
// AVX-512 VNNI, AVX-VNNI, AVX-512BW, AVX2, portable C++; RRG_INT8_KERNEL forces one). They give
// bit-identical results, because everything they compute is exact or identically rounded:
// - the quantised values are round-half-even(x * (levels / max|x|)), in float32, by every kernel;
// - the dot products are exact integers. Activations enter the SIMD kernels offset by 128
//   (1..255) because vpmaddubsw and vpdpbusd multiply unsigned by signed bytes; the offset is
//   removed exactly with the weights' offset sums (128 * sum_k w[j, k]). 7-bit weights keep AVX2's
//   vpmaddubsw, which adds adjacent products into int16 with saturation, exact:
//   2 * 255 * 63 = 32130 < 32767 (even a non-finite activation, quantised to -128, cannot
//   saturate); VNNI's vpdpbusd adds four products into int32 without saturating. 7-bit weights
//   rather than 7-bit activations because BERT's activations, with their outlier features, are
//   the harder ones to quantise. k is limited to kMaxInt8K so no int32 sum can overflow;
// - the result is fma(float(sum), scale_x * scale_w, bias) in float32, one rounding per operation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rrg::torch_module {

// A weight matrix [n, k] quantised per row and packed for the kernels: blocks of 16 output rows
// (n_padded / 16 blocks of 16 * k_padded bytes), each stored as k_padded / 4 groups of 64 bytes
// (row 0's 4 values, row 1's 4 values, ..., row 15's 4 values).
struct Int8Weights {
  std::int64_t n = 0, k = 0;                // logical sizes
  std::int64_t n_padded = 0, k_padded = 0;  // multiples of 16 and 4 (zero-filled)
  std::vector<std::int8_t> packed;          // values in [-63, 63]
  std::vector<std::int32_t> offset_sums;    // [n_padded]: 128 * sum_k of each row's values, what
                                            // the activations' +128 offset adds to a sum
  std::vector<float> scales;                // [n_padded]
  std::vector<float> bias;                  // [n_padded]
};

inline constexpr int kWeightLevels = 63;       // weights in [-63, 63]
inline constexpr int kActivationLevels = 127;  // activations in [-127, 127]
// Longest dot product: 262144 * 128 * 63 < 2^31, so no int32 sum can overflow.
inline constexpr std::int64_t kMaxInt8K = 262144;

// Quantises `weight` ([n, k] row-major) and copies `bias` ([n], or nullptr for none). Throws
// rrg::InputError when k > kMaxInt8K.
Int8Weights quantize_weights(const float* weight, const float* bias, std::int64_t n,
                             std::int64_t k);

// Activation rows quantised for the kernels.
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

// out[i, j] = fma(sum_k a[i, k] * w[j, k], a.scales[i] * w.scales[j], w.bias[j]) for every row
// i and the columns j of the 16-column blocks [block_begin, block_end) that are < w.n; `out` is
// [a.m, w.n] row-major. Blocks are the unit of parallel work.
void int8_matmul(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t block_begin,
                 std::int64_t block_end);

inline std::int64_t int8_column_blocks(const Int8Weights& w) {
  return w.n_padded / 16;
}

// The kernel this process runs ("avx512vnni", "avxvnni", "avx512bw", "avx2" or "portable"),
// chosen and self-checked on the first call (int8/kernel_choice.h), which throws rrg::InputError
// for a bad RRG_INT8_KERNEL; for model descriptions.
std::string int8_kernel_in_use();

// Why that kernel is not the CPU's fastest ("avx512vnni failed its start-up self-check (...)"),
// or "forced by RRG_INT8_KERNEL"; empty normally.
std::string int8_kernel_note();

// True: with the portable kernel every CPU runs the int8 path (kept for its callers).
bool int8_matmul_supported();

}  // namespace rrg::torch_module
