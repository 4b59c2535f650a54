// What this CPU can run, for the kernels rrg chooses at run time (the int8 matrix products of
// the libtorch module, src/torch_module/int8/). Torch-free and cheap, so `rrg --version` can list
// them without loading anything.
//
// A feature counts only when CPUID reports it and the operating system saves the registers it
// needs (XGETBV: YMM state for AVX/AVX2, opmask and ZMM state for AVX-512). On non-x86 builds
// every flag is false and only the portable kernel exists.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rrg {

struct CpuFeatures {
  bool avx2 = false;         // AVX2 + FMA, YMM state enabled
  bool avx_vnni = false;     // AVX-VNNI (VEX vpdpbusd on ymm; Alder Lake and later)
  bool avx512bw = false;     // AVX-512 F + BW, ZMM and opmask state enabled
  bool avx512_vnni = false;  // AVX-512 VNNI (EVEX vpdpbusd on zmm; Cascade Lake, Ice Lake, Zen 4)
  // AVX-512 F, CD, BW, DQ and VL with ZMM state: Skylake-SP's set, which OpenBLAS's SkylakeX
  // kernels need.
  bool avx512_skylake = false;
};

// Detected once per process.
const CpuFeatures& cpu_features();

// The OpenBLAS core type rrg asks for (OPENBLAS_CORETYPE) before libtorch loads OpenBLAS, or
// nullptr to leave OpenBLAS's own choice. OpenBLAS picks its kernels from the CPU model, and a
// model newer than the library falls back to its oldest x86-64 kernels: Debian 12's OpenBLAS
// 0.3.21 runs an Emerald Rapids Xeon (family 6, model 207) with "Prescott" SSE3 kernels, 15 G
// single-precision multiply-adds/s per core against 75 G/s with its "SkylakeX" AVX-512 kernels
// (docs/chexbert.md, "Threads and BLAS"). On every CPU with Skylake-SP's AVX-512 set the
// SkylakeX sgemm is the one OpenBLAS itself uses when it knows the model (SkylakeX, Cooperlake,
// SapphireRapids and Zen 4 share it), so asking for it never picks a slower one. AVX2-only CPUs
// are left alone (OpenBLAS's Haswell and Zen kernels differ in blocking, and it knows those).
const char* openblas_coretype_for(const CpuFeatures& features);

// The int8 matrix-product kernels, fastest first. Every kernel gives bit-identical results
// (docs/chexbert.md, "int8").
enum class Int8Kernel { kAvx512Vnni, kAvxVnni, kAvx512Bw, kAvx2, kPortable };

// "avx512vnni", "avxvnni", "avx512bw", "avx2", "portable" (the values of RRG_INT8_KERNEL).
const char* int8_kernel_name(Int8Kernel kernel);

// The kernel named `name`, or nothing.
std::optional<Int8Kernel> int8_kernel_from_name(std::string_view name);

// Every kernel, fastest first.
const std::vector<Int8Kernel>& all_int8_kernels();

// Whether `features` has the instructions `kernel` needs (its own, and AVX2 + FMA for the
// quantisation every SIMD kernel shares).
bool int8_kernel_runs_on(Int8Kernel kernel, const CpuFeatures& features);

// The kernels this CPU can run, fastest first (the portable one always last).
std::vector<Int8Kernel> int8_kernels_for_this_cpu();

// "avx2,portable": int8_kernels_for_this_cpu() for `rrg --version`.
std::string int8_kernels_text();

}  // namespace rrg
