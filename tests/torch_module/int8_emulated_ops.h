// Plain-C++ emulations of the vector operations the SIMD int8 kernels give
// src/torch_module/int8/tiled_matmul.h, from the instructions' definitions in the Intel SDM:
//   vpmaddubsw  int16[i] = saturate16(u8(a[2i]) * s8(b[2i]) + u8(a[2i+1]) * s8(b[2i+1]))
//   vpmaddwd    int32[i] = s16[2i] * t16[2i] + s16[2i+1] * t16[2i+1]   (with t = 1: a pair sum)
//   vpaddd      wrapping 32-bit addition
//   vpdpbusd    int32[i] += u8(a[4i]) * s8(b[4i]) + ... + u8(a[4i+3]) * s8(b[4i+3]), wrapping,
//               no saturation (that is vpdpbusds)
//   vcvtdq2ps   int32 -> float32, round to nearest even; vmulps; vfmadd: one rounding
// Instantiating the tiled product with them runs the blocking, tails and epilogue of every SIMD
// kernel on any CPU; only the mapping of each operation to its intrinsic stays for the CPUs that
// have the instructions (the start-up self-check, and int8_kernels_test there).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace rrg::torch_module::int8::testing {

enum class DotInstruction { kMaddubs, kDpbusd };

template <int Lanes, DotInstruction Dot>
struct EmulatedOps {
  static constexpr int kLanes = Lanes;
  struct Acc {
    std::int32_t lane[Lanes];
  };
  struct Bytes {
    std::uint8_t byte[4 * Lanes];
  };

  static std::int32_t wrap(std::int64_t v) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(v)));
  }
  static std::int32_t saturate16(std::int32_t v) {
    return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }

  static Acc zero() { return Acc{}; }
  static Bytes load_weights(const std::int8_t* p) {
    Bytes b;
    std::memcpy(b.byte, p, sizeof b.byte);
    return b;
  }
  static Bytes broadcast4(const std::uint8_t* p) {
    Bytes b;
    for (int l = 0; l < Lanes; ++l) std::memcpy(b.byte + 4 * l, p, 4);
    return b;
  }
  static Acc dot4(Acc acc, Bytes a, Bytes w) {
    for (int l = 0; l < Lanes; ++l) {
      std::int32_t p[4];
      for (int t = 0; t < 4; ++t) {
        p[t] = std::int32_t{a.byte[4 * l + t]} * static_cast<std::int8_t>(w.byte[4 * l + t]);
      }
      if (Dot == DotInstruction::kDpbusd) {
        acc.lane[l] = wrap(std::int64_t{acc.lane[l]} + p[0] + p[1] + p[2] + p[3]);
      } else {
        const std::int32_t pair0 = saturate16(p[0] + p[1]), pair1 = saturate16(p[2] + p[3]);
        acc.lane[l] = wrap(std::int64_t{acc.lane[l]} + wrap(std::int64_t{pair0} + pair1));
      }
    }
    return acc;
  }
  static void finish(Acc acc, const std::int32_t* offset_sums, const float* scales,
                     const float* bias, float row_scale, float* dst, int count) {
    for (int l = 0; l < count; ++l) {
      const std::int32_t sum = wrap(std::int64_t{acc.lane[l]} - offset_sums[l]);
      dst[l] = std::fma(static_cast<float>(sum), row_scale * scales[l], bias[l]);
    }
  }
};

}  // namespace rrg::torch_module::int8::testing
