// The blocked int8 matrix product shared by the SIMD kernels, written once over a small set of
// vector operations `Ops` that each kernel file supplies (avx2_kernel.cpp: vpmaddubsw +
// vpmaddwd on ymm, avx_vnni_kernel.cpp: vpdpbusd on ymm, avx512bw_kernel.cpp and
// avx512_vnni_kernel.cpp: the same on zmm). The tests also instantiate it with plain-C++
// emulations of those operations (tests/torch_module/int8_emulated_ops.h), which is how the
// blocking, the tails and the epilogue of the AVX-512 and AVX-VNNI kernels are checked on CPUs
// that cannot run them.
//
// Before including this file define RRG_INT8_TARGET as the target attribute of the kernel
// (e.g. __attribute__((target("avx2,fma")))), or as nothing for plain C++. Everything here has
// internal linkage, so each kernel file gets its own copy compiled for its instruction set.
//
// `Ops` provides:
//   kLanes                 int32 lanes per vector (8: ymm, 16: zmm)
//   Acc, Bytes             kLanes int32 accumulators; 4 * kLanes bytes
//   zero()                 an all-zero Acc
//   load_weights(p)        the 4 * kLanes bytes at p (unaligned)
//   broadcast4(p)          the 4 bytes at p, repeated in every lane
//   dot4(acc, a, w)        per lane l: acc[l] + sum_{t<4} a[4l+t] (unsigned) * w[4l+t] (signed),
//                          exactly (the kernels' quantisation rules out int16 saturation)
//   finish(acc, offset_sums, scales, bias, row_scale, dst, count)
//                          dst[l] = fma(float(acc[l] - offset_sums[l]), row_scale *
//                          scales[l], bias[l]) for l < count (count <= kLanes; the inputs are
//                          readable for all kLanes lanes)
//
// Blocking. A tile is Rows activation rows x Vecs vectors of output columns, its accumulators in
// registers; per group of 4 k values it loads Vecs weight vectors, and per row broadcasts the
// row's 4 offset activations and accumulates into the row's Vecs accumulators. Column blocks are
// taken in chunks whose packed weights fit in L2 (kChunkBytes); for each chunk, every row group
// runs over every tile of the chunk, so a row group's activations stay in L1 while the chunk's
// weights stream from L2.
#pragma once

#include <cstdint>

#include "torch_module/int8_gemm.h"

#ifndef RRG_INT8_TARGET
#error "define RRG_INT8_TARGET before including torch_module/int8/tiled_matmul.h"
#endif

namespace rrg::torch_module::int8 {
namespace {

constexpr std::int64_t kChunkBytes = 256 * 1024;
constexpr std::int64_t kBlockColumns = 16;
constexpr std::int64_t kGroupBytes = 4 * kBlockColumns;  // one group of 4 k values of a block

struct Tile {
  const std::uint8_t* activations;  // the tile's first row
  std::int64_t k_padded;            // row stride of the activations, and k
  const float* row_scales;          // the tile's first row
  const std::int8_t* weights;       // the tile's first column block
  const std::int32_t* offset_sums;  // at the tile's first column (likewise scales and bias)
  const float* scales;
  const float* bias;
  float* out;               // the tile's first row and column
  std::int64_t out_stride;  // n
  std::int64_t columns;     // columns of the tile that are < n
};

template <class Ops, int Rows, int Vecs>
RRG_INT8_TARGET void run_tile(const Tile& t) {
  constexpr int kLanes = Ops::kLanes;
  typename Ops::Acc acc[Rows][Vecs];
#pragma GCC unroll 8
  for (int r = 0; r < Rows; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < Vecs; ++v) acc[r][v] = Ops::zero();
  }
  // Vector v covers columns [v * kLanes, (v + 1) * kLanes) of the tile: block v * kLanes / 16,
  // from byte (v * kLanes % 16) * 4 of each 64-byte group.
  const std::int8_t* w[Vecs];
#pragma GCC unroll 8
  for (int v = 0; v < Vecs; ++v) {
    w[v] = t.weights + (v * kLanes / kBlockColumns) * kBlockColumns * t.k_padded +
           (v * kLanes % kBlockColumns) * 4;
  }
  const std::int64_t groups = t.k_padded / 4;
  for (std::int64_t g = 0; g < groups; ++g) {
    typename Ops::Bytes b[Vecs];
#pragma GCC unroll 8
    for (int v = 0; v < Vecs; ++v) b[v] = Ops::load_weights(w[v] + kGroupBytes * g);
#pragma GCC unroll 8
    for (int r = 0; r < Rows; ++r) {
      const typename Ops::Bytes x = Ops::broadcast4(t.activations + r * t.k_padded + 4 * g);
#pragma GCC unroll 8
      for (int v = 0; v < Vecs; ++v) acc[r][v] = Ops::dot4(acc[r][v], x, b[v]);
    }
  }
  // Fully unrolled, so every accumulator is named by constants and stays in a register.
#pragma GCC unroll 8
  for (int r = 0; r < Rows; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < Vecs; ++v) {
      const std::int64_t c = v * kLanes;
      if (c < t.columns) {
        const int count = t.columns - c < kLanes ? static_cast<int>(t.columns - c) : kLanes;
        Ops::finish(acc[r][v], t.offset_sums + c, t.scales + c, t.bias + c, t.row_scales[r],
                    t.out + r * t.out_stride + c, count);
      }
    }
  }
}

// run_tile<Ops, rows, vecs> for 1 <= rows <= Rows, 1 <= vecs <= Vecs.
template <class Ops, int Rows, int Vecs>
RRG_INT8_TARGET void run_tile_of_size(int rows, int vecs, const Tile& t) {
  if constexpr (Rows > 1) {
    if (rows < Rows) return run_tile_of_size<Ops, Rows - 1, Vecs>(rows, vecs, t);
  }
  if constexpr (Vecs > 1) {
    if (vecs < Vecs) return run_tile_of_size<Ops, Rows, Vecs - 1>(rows, vecs, t);
  }
  run_tile<Ops, Rows, Vecs>(t);
}

// int8_matmul() (int8_gemm.h) with tiles of Rows rows x Vecs vectors.
template <class Ops, int Rows, int Vecs>
RRG_INT8_TARGET void tiled_matmul(const Int8Rows& a, const Int8Weights& w, float* out,
                                  std::int64_t block_begin, std::int64_t block_end) {
  static_assert(Vecs * Ops::kLanes % kBlockColumns == 0, "a tile covers whole column blocks");
  constexpr std::int64_t kTileBlocks = Vecs * Ops::kLanes / kBlockColumns;
  const std::int64_t block_bytes = kBlockColumns * (w.k_padded > 0 ? w.k_padded : 1);
  std::int64_t chunk = kChunkBytes / block_bytes / kTileBlocks * kTileBlocks;
  if (chunk < kTileBlocks) chunk = kTileBlocks;
  const std::uint8_t* activations = a.values.data();
  const std::int8_t* packed = w.packed.data();
  for (std::int64_t c0 = block_begin; c0 < block_end; c0 += chunk) {
    const std::int64_t c1 = c0 + chunk < block_end ? c0 + chunk : block_end;
    for (std::int64_t row = 0; row < a.m; row += Rows) {
      const int rows = a.m - row < Rows ? static_cast<int>(a.m - row) : Rows;
      for (std::int64_t b = c0; b < c1; b += kTileBlocks) {
        const std::int64_t column = b * kBlockColumns;
        if (column >= w.n) break;
        const std::int64_t blocks = c1 - b < kTileBlocks ? c1 - b : kTileBlocks;
        const std::int64_t columns = w.n - column;
        Tile t;
        t.activations = activations + row * a.k_padded;
        t.k_padded = a.k_padded;
        t.row_scales = a.scales.data() + row;
        t.weights = packed + column * w.k_padded;
        t.offset_sums = w.offset_sums.data() + column;
        t.scales = w.scales.data() + column;
        t.bias = w.bias.data() + column;
        t.out = out + row * w.n + column;
        t.out_stride = w.n;
        t.columns = columns < blocks * kBlockColumns ? columns : blocks * kBlockColumns;
        const int vecs = static_cast<int>(blocks * kBlockColumns / Ops::kLanes);
        run_tile_of_size<Ops, Rows, Vecs>(rows, vecs, t);
      }
    }
  }
}

}  // namespace
}  // namespace rrg::torch_module::int8
