// The int8 kernels behind int8_gemm.h, one function table each. Each SIMD kernel lives in its own
// source file whose functions carry their instruction set as a target attribute (never a
// whole-file -m flag, so no wide instruction can leak into code shared with the rest of the
// module); a table may only be used on a CPU that int8_kernel_runs_on() accepts.
#pragma once

#include <cstdint>

#include "rrg/core/cpu_features.h"
#include "torch_module/int8_gemm.h"

namespace rrg::torch_module::int8 {

struct KernelOps {
  // max |x[i]| over n values; NaN values are ignored (0 when there are none).
  float (*max_abs)(const float* x, std::int64_t n);
  // q[i] = (the int8 conversion of x[i] * inv) XOR offset, where the conversion is the one
  // cvtps2dq + packssdw + packsswb make: round half to even, saturated to [-128, 127], and -128
  // for NaN or |x * inv| >= 2^31.
  void (*quantize)(const float* x, std::int64_t n, float inv, std::uint8_t offset, std::int8_t* q);
  // int8_matmul() (int8_gemm.h) on column blocks [block_begin, block_end).
  void (*matmul)(const Int8Rows& a, const Int8Weights& w, float* out, std::int64_t block_begin,
                 std::int64_t block_end);
};

// Tile shapes of the SIMD kernels (rows x vectors of output columns, tiled_matmul.h), shared with
// the tests' emulations of them.
inline constexpr int kAvx2TileRows = 4, kAvx2TileVecs = 2;              // 4 x 16 columns
inline constexpr int kAvxVnniTileRows = 6, kAvxVnniTileVecs = 2;        // 6 x 16
inline constexpr int kAvx512BwTileRows = 4, kAvx512BwTileVecs = 4;      // 4 x 64
inline constexpr int kAvx512VnniTileRows = 6, kAvx512VnniTileVecs = 4;  // 6 x 64

// The table of `kernel`. Its SIMD functions may only be called when
// int8_kernel_runs_on(kernel, cpu_features()).
const KernelOps& kernel_ops(Int8Kernel kernel);

// Per kernel (portable_kernel.cpp, avx2_kernel.cpp, ...). On non-x86 builds only the portable
// one exists.
const KernelOps& portable_kernel();
#if defined(__x86_64__)
const KernelOps& avx2_kernel();
const KernelOps& avx512bw_kernel();
const KernelOps& avx_vnni_kernel();
const KernelOps& avx512_vnni_kernel();
// The AVX2 quantisation every SIMD kernel uses (quantize_avx2.cpp).
float max_abs_avx2(const float* x, std::int64_t n);
void quantize_avx2(const float* x, std::int64_t n, float inv, std::uint8_t offset, std::int8_t* q);
#endif

}  // namespace rrg::torch_module::int8
