// The AVX2 quantisation of the SIMD int8 kernels (kernels.h). Only functions marked RRG_AVX2 use
// AVX2, through GCC's target attribute; callers check the CPU first.
#include <immintrin.h>

#include <cmath>

#include "torch_module/int8/kernels.h"

#define RRG_AVX2 __attribute__((target("avx2,fma")))

namespace rrg::torch_module::int8 {

RRG_AVX2 float max_abs_avx2(const float* x, std::int64_t n) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 best = _mm256_setzero_ps();
  std::int64_t i = 0;
  // max_ps returns its second operand when either is NaN: `best` survives a NaN value.
  for (; i + 8 <= n; i += 8) {
    best = _mm256_max_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)), best);
  }
  float lanes[8];
  _mm256_storeu_ps(lanes, best);
  float m = 0;
  for (float lane : lanes) m = lane > m ? lane : m;
  for (; i < n; ++i) m = std::fabs(x[i]) > m ? std::fabs(x[i]) : m;
  return m;
}

RRG_AVX2 void quantize_avx2(const float* x, std::int64_t n, float inv, std::uint8_t offset,
                            std::int8_t* q) {
  const __m256 factor = _mm256_set1_ps(inv);
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  const __m256i flip = _mm256_set1_epi8(static_cast<char>(offset));
  std::int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i), factor));
    const __m256i i1 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8), factor));
    const __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 16), factor));
    const __m256i i3 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 24), factor));
    // packs works within 128-bit lanes; the permutation restores the order of the 32 values.
    const __m256i packed =
        _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + i),
                        _mm256_xor_si256(_mm256_permutevar8x32_epi32(packed, order), flip));
  }
  // The tail through the same instructions, one value at a time.
  for (; i < n; ++i) {
    const __m128i v = _mm_cvtps_epi32(_mm_set_ss(x[i] * inv));
    const __m128i b = _mm_packs_epi16(_mm_packs_epi32(v, v), _mm_setzero_si128());
    q[i] = static_cast<std::int8_t>(_mm_cvtsi128_si32(b) ^ offset);
  }
}

}  // namespace rrg::torch_module::int8
