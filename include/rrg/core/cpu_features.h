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
};

// Detected once per process.
const CpuFeatures& cpu_features();

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
