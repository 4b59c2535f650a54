// The AVX2 int8 kernel: vpmaddubsw (offset activation bytes times weight bytes, adjacent pairs
// added into int16: exact, as the 7-bit weights keep every pair below 32767), vpmaddwd with ones
// (pairs of int16 added into int32), vpaddd. Two multiply uops per 32 multiply-adds against four
// FMA uops in fp32: about 2x OpenBLAS's sgemm on one Zen 3 core (tools/bench-int8-gemm).
#include <immintrin.h>

#include <cstring>

#include "torch_module/int8/kernels.h"

#define RRG_INT8_TARGET __attribute__((target("avx2,fma")))
#define RRG_INT8_OP static inline __attribute__((target("avx2,fma"), always_inline))

#include "torch_module/int8/tiled_matmul.h"

namespace rrg::torch_module::int8 {
namespace {

struct Avx2Ops {
  static constexpr int kLanes = 8;
  using Acc = __m256i;
  using Bytes = __m256i;

  RRG_INT8_OP Acc zero() { return _mm256_setzero_si256(); }
  RRG_INT8_OP Bytes load_weights(const std::int8_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  RRG_INT8_OP Bytes broadcast4(const std::uint8_t* p) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
  }
  RRG_INT8_OP Acc dot4(Acc acc, Bytes a, Bytes w) {
    const __m256i pairs = _mm256_maddubs_epi16(a, w);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
  }
  RRG_INT8_OP void finish(Acc acc, const std::int32_t* offset_sums, const float* scales,
                          const float* bias, float row_scale, float* dst, int count) {
    const __m256i offset = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(offset_sums));
    const __m256 sum = _mm256_cvtepi32_ps(_mm256_sub_epi32(acc, offset));
    const __m256 scale = _mm256_mul_ps(_mm256_set1_ps(row_scale), _mm256_loadu_ps(scales));
    const __m256 value = _mm256_fmadd_ps(sum, scale, _mm256_loadu_ps(bias));
    if (count == kLanes) {
      _mm256_storeu_ps(dst, value);
    } else {
      float lanes[kLanes];
      _mm256_storeu_ps(lanes, value);
      for (int l = 0; l < count; ++l) dst[l] = lanes[l];
    }
  }
};

// 4 rows x 16 columns: 8 accumulators, 2 weight vectors, a broadcast, a temporary and the ones
// of vpmaddwd in the 16 ymm registers.
RRG_INT8_TARGET void matmul(const Int8Rows& a, const Int8Weights& w, float* out,
                            std::int64_t block_begin, std::int64_t block_end) {
  tiled_matmul<Avx2Ops, kAvx2TileRows, kAvx2TileVecs>(a, w, out, block_begin, block_end);
}

}  // namespace

const KernelOps& avx2_kernel() {
  static const KernelOps ops{max_abs_avx2, quantize_avx2, matmul};
  return ops;
}

}  // namespace rrg::torch_module::int8
