// Quantisation of weights and activation rows through a given kernel's functions (int8_gemm.h
// uses the chosen kernel's; the self-check and the tests use each kernel's).
#pragma once

#include <cstdint>

#include "torch_module/int8/kernels.h"

namespace rrg::torch_module::int8 {

// quantize_weights() of int8_gemm.h with `ops`.
Int8Weights quantize_weights(const KernelOps& ops, const float* weight, const float* bias,
                             std::int64_t n, std::int64_t k);

// quantize_rows() of int8_gemm.h with `ops`.
void quantize_rows(const KernelOps& ops, const float* x, std::int64_t k, std::int64_t row_begin,
                   std::int64_t row_end, Int8Rows& out);

}  // namespace rrg::torch_module::int8
