// The AVX-512BW int8 kernel (Skylake-SP/X: AVX-512 without VNNI): the AVX2 kernel's vpmaddubsw +
// vpmaddwd + vpaddd on zmm, 64 multiply-adds per vpmaddubsw. Without it those CPUs would run
// fp32 on AVX-512 FMA and int8 on ymm, and int8 would be no faster. Written without a CPU to run
// it on: checked through the plain-C++ emulation of its operations (tests/torch_module), at
// start-up against the portable kernel (int8/kernel_choice.cpp), and by the tests on CPUs that
// have it.
#include <immintrin.h>

#include <cstring>

#include "torch_module/int8/kernels.h"

#define RRG_INT8_TARGET __attribute__((target("avx2,fma,avx512f,avx512bw")))
#define RRG_INT8_OP \
  static inline __attribute__((target("avx2,fma,avx512f,avx512bw"), always_inline))

#include "torch_module/int8/tiled_matmul.h"

namespace rrg::torch_module::int8 {
namespace {

struct Avx512BwOps {
  static constexpr int kLanes = 16;
  using Acc = __m512i;
  using Bytes = __m512i;

  RRG_INT8_OP Acc zero() { return _mm512_setzero_si512(); }
  RRG_INT8_OP Bytes load_weights(const std::int8_t* p) { return _mm512_loadu_si512(p); }
  RRG_INT8_OP Bytes broadcast4(const std::uint8_t* p) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    return _mm512_set1_epi32(v);
  }
  RRG_INT8_OP Acc dot4(Acc acc, Bytes a, Bytes w) {
    const __m512i pairs = _mm512_maddubs_epi16(a, w);  // a unsigned, w signed
    return _mm512_add_epi32(acc, _mm512_madd_epi16(pairs, _mm512_set1_epi16(1)));
  }
  RRG_INT8_OP void finish(Acc acc, const std::int32_t* offset_sums, const float* scales,
                          const float* bias, float row_scale, float* dst, int count) {
    // The maskz form has no undefined source operand (GCC 12 warns about the plain one's).
    const __m512 sum = _mm512_maskz_cvtepi32_ps(
        static_cast<__mmask16>(0xffff), _mm512_sub_epi32(acc, _mm512_loadu_si512(offset_sums)));
    const __m512 scale = _mm512_mul_ps(_mm512_set1_ps(row_scale), _mm512_loadu_ps(scales));
    const __m512 value = _mm512_fmadd_ps(sum, scale, _mm512_loadu_ps(bias));
    // Lanes [0, count); masked-off lanes are neither written nor faulted on.
    const __mmask16 lanes = static_cast<__mmask16>((1u << count) - 1u);
    _mm512_mask_storeu_ps(dst, lanes, value);
  }
};

// 4 rows x 64 columns: 16 accumulators, 4 weight vectors, a broadcast, a temporary and the ones
// of vpmaddwd in the 32 zmm registers.
RRG_INT8_TARGET void matmul(const Int8Rows& a, const Int8Weights& w, float* out,
                            std::int64_t block_begin, std::int64_t block_end) {
  tiled_matmul<Avx512BwOps, kAvx512BwTileRows, kAvx512BwTileVecs>(a, w, out, block_begin,
                                                                  block_end);
}

}  // namespace

const KernelOps& avx512bw_kernel() {
  static const KernelOps ops{max_abs_avx2, quantize_avx2, matmul};
  return ops;
}

}  // namespace rrg::torch_module::int8
