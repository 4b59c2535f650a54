// The int8 matrix products of int8_gemm.h, through the kernel chosen for this process
// (int8/kernel_choice.h).
#include "torch_module/int8_gemm.h"

#include "torch_module/int8/kernel_choice.h"
#include "torch_module/int8/kernels.h"
#include "torch_module/int8/quantize.h"

namespace rrg::torch_module {
namespace {

const int8::KernelOps& chosen() {
  return int8::kernel_ops(int8::int8_kernel_choice().kernel);
}

}  // namespace

Int8Weights quantize_weights(const float* weight, const float* bias, std::int64_t n,
                             std::int64_t k) {
  return int8::quantize_weights(chosen(), weight, bias, n, k);
}

void prepare_rows(std::int64_t m, std::int64_t k, Int8Rows& out) {
  out.m = m;
  out.k_padded = (k + 3) / 4 * 4;
  out.values.assign(static_cast<std::size_t>(m * out.k_padded), 128);  // padding: value 0
  out.scales.resize(static_cast<std::size_t>(m));
}

void quantize_rows(const float* x, std::int64_t k, std::int64_t row_begin, std::int64_t row_end,
                   Int8Rows& out) {
  int8::quantize_rows(chosen(), x, k, row_begin, row_end, out);
}

void int8_matmul(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t block_begin,
                 std::int64_t block_end) {
  chosen().matmul(a, w, out, block_begin, block_end);
}

std::string int8_kernel_in_use() {
  return int8_kernel_name(int8::int8_kernel_choice().kernel);
}

std::string int8_kernel_note() {
  return int8::int8_kernel_choice().note;
}

bool int8_matmul_supported() {
  return true;
}

}  // namespace rrg::torch_module
