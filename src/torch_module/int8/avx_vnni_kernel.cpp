// The AVX-VNNI int8 kernel (Alder Lake and later without AVX-512): vpdpbusd on ymm, VEX encoding,
// adds four products of offset activation bytes and weight bytes into each int32 lane in one
// uop, against vpmaddubsw + vpmaddwd + vpaddd in the AVX2 kernel. Written without a CPU to run it
// on: checked through the plain-C++ emulation of its operations (tests/torch_module), at start-up
// against the portable kernel (int8/kernel_choice.cpp), and by the tests on CPUs that have it.
#include <immintrin.h>

#include <cstring>

#include "torch_module/int8/kernels.h"

#define RRG_INT8_TARGET __attribute__((target("avx2,fma,avxvnni")))
#define RRG_INT8_OP static inline __attribute__((target("avx2,fma,avxvnni"), always_inline))

#include "torch_module/int8/tiled_matmul.h"

namespace rrg::torch_module::int8 {
namespace {

struct AvxVnniOps {
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
  // acc + a (unsigned bytes) . w (signed bytes), four products per lane, no saturation.
  RRG_INT8_OP Acc dot4(Acc acc, Bytes a, Bytes w) { return _mm256_dpbusd_avx_epi32(acc, a, w); }
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

// 6 rows x 16 columns: 12 accumulators, 2 weight vectors and a broadcast in the 16 ymm
// registers; 12 independent vpdpbusd chains cover its latency (5 cycles at 2 per cycle).
RRG_INT8_TARGET void matmul(const Int8Rows& a, const Int8Weights& w, float* out,
                            std::int64_t block_begin, std::int64_t block_end) {
  tiled_matmul<AvxVnniOps, kAvxVnniTileRows, kAvxVnniTileVecs>(a, w, out, block_begin, block_end);
}

}  // namespace

const KernelOps& avx_vnni_kernel() {
  static const KernelOps ops{max_abs_avx2, quantize_avx2, matmul};
  return ops;
}

}  // namespace rrg::torch_module::int8
