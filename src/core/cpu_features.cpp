// CPUID and XGETBV decoding (see cpu_features.h). Bits from the Intel SDM vol. 2A, "CPUID",
// and vol. 1, 13.3 (XCR0): leaf 1 ECX: FMA 12, OSXSAVE 27, AVX 28; leaf 7.0 EBX: AVX2 5,
// AVX512F 16, AVX512DQ 17, AVX512CD 28, AVX512BW 30, AVX512VL 31; leaf 7.0 ECX: AVX512_VNNI 11;
// leaf 7.1 EAX: AVX-VNNI 4. XCR0: SSE 1, YMM 2, opmask 5, ZMM0-15 upper halves 6, ZMM16-31 7.
#include "rrg/core/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define RRG_X86 1
#else
#define RRG_X86 0
#endif

#include <cstdint>

namespace rrg {
namespace {

bool bit(std::uint32_t value, int index) {
  return ((value >> index) & 1u) != 0;
}

#if RRG_X86
// XCR0, the register states the operating system saves on context switches; only readable
// when CPUID reports OSXSAVE.
std::uint64_t read_xcr0() {
  std::uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  const unsigned max_leaf = __get_cpuid_max(0, nullptr);
  if (max_leaf < 1) return f;
  __cpuid(1, eax, ebx, ecx, edx);
  const bool fma = bit(ecx, 12), osxsave = bit(ecx, 27), avx = bit(ecx, 28);
  if (!osxsave || !avx) return f;
  const std::uint64_t xcr0 = read_xcr0();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;    // SSE and YMM
  const bool zmm_state = (xcr0 & 0xe6) == 0xe6;  // and opmask, ZMM upper halves, ZMM16-31
  if (!ymm_state || max_leaf < 7) return f;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const unsigned max_subleaf = eax;
  f.avx2 = bit(ebx, 5) && fma;
  f.avx512bw = f.avx2 && zmm_state && bit(ebx, 16) && bit(ebx, 30);
  f.avx512_vnni = f.avx512bw && bit(ecx, 11);
  f.avx512_skylake = f.avx512bw && bit(ebx, 17) && bit(ebx, 28) && bit(ebx, 31);
  if (max_subleaf >= 1) {
    __cpuid_count(7, 1, eax, ebx, ecx, edx);
    f.avx_vnni = f.avx2 && bit(eax, 4);
  }
  return f;
}
#else
CpuFeatures detect() {
  return {};
}
#endif

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

const char* openblas_coretype_for(const CpuFeatures& features) {
  return features.avx512_skylake ? "SkylakeX" : nullptr;
}

const char* int8_kernel_name(Int8Kernel kernel) {
  switch (kernel) {
    case Int8Kernel::kAvx512Vnni:
      return "avx512vnni";
    case Int8Kernel::kAvxVnni:
      return "avxvnni";
    case Int8Kernel::kAvx512Bw:
      return "avx512bw";
    case Int8Kernel::kAvx2:
      return "avx2";
    case Int8Kernel::kPortable:
      break;
  }
  return "portable";
}

const std::vector<Int8Kernel>& all_int8_kernels() {
  static const std::vector<Int8Kernel> kernels = {Int8Kernel::kAvx512Vnni, Int8Kernel::kAvxVnni,
                                                  Int8Kernel::kAvx512Bw, Int8Kernel::kAvx2,
                                                  Int8Kernel::kPortable};
  return kernels;
}

std::optional<Int8Kernel> int8_kernel_from_name(std::string_view name) {
  for (Int8Kernel kernel : all_int8_kernels()) {
    if (name == int8_kernel_name(kernel)) return kernel;
  }
  return std::nullopt;
}

bool int8_kernel_runs_on(Int8Kernel kernel, const CpuFeatures& f) {
  switch (kernel) {
    case Int8Kernel::kAvx512Vnni:
      return f.avx512_vnni;
    case Int8Kernel::kAvxVnni:
      return f.avx_vnni;
    case Int8Kernel::kAvx512Bw:
      return f.avx512bw;
    case Int8Kernel::kAvx2:
      return f.avx2;
    case Int8Kernel::kPortable:
      break;
  }
  return true;
}

std::vector<Int8Kernel> int8_kernels_for_this_cpu() {
  std::vector<Int8Kernel> out;
  for (Int8Kernel kernel : all_int8_kernels()) {
    if (int8_kernel_runs_on(kernel, cpu_features())) out.push_back(kernel);
  }
  return out;
}

std::string int8_kernels_text() {
  std::string out;
  for (Int8Kernel kernel : int8_kernels_for_this_cpu()) {
    if (!out.empty()) out += ',';
    out += int8_kernel_name(kernel);
  }
  return out;
}

}  // namespace rrg
