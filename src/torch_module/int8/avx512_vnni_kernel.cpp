// The AVX-512 VNNI int8 kernel (Cascade Lake, Ice Lake, Sapphire Rapids, Zen 4): vpdpbusd on zmm
// adds four products of offset activation bytes and weight bytes into each of 16 int32 lanes in
// one uop: 64 multiply-adds, against 16 for an fp32 FMA on zmm. Written without a CPU to run it
// on: checked through the plain-C++ emulation of its operations (tests/torch_module), at start-up
// against the portable kernel (int8/kernel_choice.cpp), and by the tests on CPUs that have it.
#include <immintrin.h>

#include <cstring>

#include "torch_module/int8/kernels.h"

#define RRG_INT8_TARGET __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vnni")))
#define RRG_INT8_OP \
  static inline __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vnni"), always_inline))

#include "torch_module/int8/tiled_matmul.h"

namespace rrg::torch_module::int8 {
namespace {

struct Avx512VnniOps {
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
  // acc + a (unsigned bytes) . w (signed bytes), four products per lane, no saturation.
  RRG_INT8_OP Acc dot4(Acc acc, Bytes a, Bytes w) { return _mm512_dpbusd_epi32(acc, a, w); }
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

// 6 rows x 64 columns: 24 accumulators, 4 weight vectors and a broadcast in the 32 zmm
// registers; 24 independent vpdpbusd chains cover its latency (5 cycles at up to 2 per cycle).
RRG_INT8_TARGET void matmul(const Int8Rows& a, const Int8Weights& w, float* out,
                            std::int64_t block_begin, std::int64_t block_end) {
  tiled_matmul<Avx512VnniOps, kAvx512VnniTileRows, kAvx512VnniTileVecs>(a, w, out, block_begin,
                                                                        block_end);
}

}  // namespace

const KernelOps& avx512_vnni_kernel() {
  static const KernelOps ops{max_abs_avx2, quantize_avx2, matmul};
  return ops;
}

}  // namespace rrg::torch_module::int8
