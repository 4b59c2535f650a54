// CPUID decoding (rrg/core/cpu_features.h) against the flags Linux reports in /proc/cpuinfo, and
// the int8 kernel names and order.
#include "rrg/core/cpu_features.h"
#include "rrg/core/torch_module.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace rrg {
namespace {

// The "flags" of the first processor in /proc/cpuinfo; empty when there is none (not Linux/x86).
std::set<std::string> proc_cpuinfo_flags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::set<std::string> flags;
    for (std::string w; words >> w;) flags.insert(w);
    return flags;
  }
  return {};
}

TEST(CpuFeaturesTest, AgreesWithProcCpuinfo) {
  const auto flags = proc_cpuinfo_flags();
  if (flags.empty()) GTEST_SKIP() << "no x86 flags in /proc/cpuinfo";
  const auto has = [&](const char* f) { return flags.count(f) > 0; };
  const CpuFeatures& f = cpu_features();
  EXPECT_EQ(f.avx2, has("avx2") && has("fma"));
  EXPECT_EQ(f.avx512bw, f.avx2 && has("avx512f") && has("avx512bw"));
  EXPECT_EQ(f.avx512_vnni, f.avx512bw && has("avx512_vnni"));
  EXPECT_EQ(f.avx_vnni, f.avx2 && has("avx_vnni"));
  EXPECT_EQ(f.avx512_skylake, f.avx512bw && has("avx512cd") && has("avx512dq") && has("avx512vl"));
  EXPECT_EQ(openblas_coretype_for(f) != nullptr, f.avx512_skylake);
}

TEST(CpuFeaturesTest, OpenBlasCoreTypeOnlyForSkylakeSpsAvx512Set) {
  CpuFeatures zen3;
  zen3.avx2 = true;
  EXPECT_EQ(openblas_coretype_for(zen3), nullptr);  // OpenBLAS knows AVX2 CPUs: its own choice
  CpuFeatures knights_landing = zen3;               // AVX-512 F without BW/DQ/VL
  EXPECT_EQ(openblas_coretype_for(knights_landing), nullptr);
  CpuFeatures emerald_rapids = zen3;
  emerald_rapids.avx512bw = emerald_rapids.avx512_vnni = emerald_rapids.avx512_skylake = true;
  EXPECT_STREQ(openblas_coretype_for(emerald_rapids), "SkylakeX");
}

TEST(CpuFeaturesTest, KernelsOfThisCpuFastestFirstEndingWithPortable) {
  const auto kernels = int8_kernels_for_this_cpu();
  ASSERT_FALSE(kernels.empty());
  EXPECT_EQ(kernels.back(), Int8Kernel::kPortable);
  std::string text;
  for (Int8Kernel kernel : all_int8_kernels()) {
    if (!int8_kernel_runs_on(kernel, cpu_features())) continue;
    text += std::string(text.empty() ? "" : ",") + int8_kernel_name(kernel);
  }
  EXPECT_EQ(int8_kernels_text(), text);
  EXPECT_EQ(cpu_features().avx2, text.find("avx2") != std::string::npos);
}

TEST(BlasSpeedWarningTest, NamesSlowLibrariesAndOpenBlasFallbacks) {
  EXPECT_EQ(blas_speed_warning("", ""), "");  // no description (nothing computed)
  EXPECT_NE(blas_speed_warning("not OpenBLAS: /usr/lib/x86_64-linux-gnu/blas/libblas.so.3", "")
                .find("far slower than OpenBLAS"),
            std::string::npos);
  const std::string good =
      "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH USE_OPENMP Haswell MAX_THREADS=64";
  EXPECT_EQ(blas_speed_warning(good, "Haswell"), "");
  const std::string old =
      "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH USE_OPENMP Prescott MAX_THREADS=64";
  const std::string warning = blas_speed_warning(old, "Prescott");
  if (!cpu_features().avx2) {
    EXPECT_EQ(warning, "");  // Prescott's kernels are this CPU's best
    return;
  }
  EXPECT_NE(warning.find("runs its Prescott kernels"), std::string::npos) << warning;
  const std::string better = cpu_features().avx512_skylake ? "SkylakeX" : "Haswell";
  EXPECT_NE(warning.find("set OPENBLAS_CORETYPE=" + better), std::string::npos) << warning;
}

TEST(CpuFeaturesTest, KernelNames) {
  for (Int8Kernel kernel : all_int8_kernels()) {
    EXPECT_EQ(int8_kernel_from_name(int8_kernel_name(kernel)), kernel);
  }
  EXPECT_EQ(int8_kernel_name(Int8Kernel::kAvx512Vnni), std::string("avx512vnni"));
  EXPECT_EQ(int8_kernel_name(Int8Kernel::kAvxVnni), std::string("avxvnni"));
  EXPECT_EQ(int8_kernel_name(Int8Kernel::kAvx512Bw), std::string("avx512bw"));
  EXPECT_EQ(int8_kernel_name(Int8Kernel::kAvx2), std::string("avx2"));
  EXPECT_EQ(int8_kernel_name(Int8Kernel::kPortable), std::string("portable"));
  EXPECT_FALSE(int8_kernel_from_name("AVX2"));
  EXPECT_FALSE(int8_kernel_from_name(""));
}

TEST(CpuFeaturesTest, WhatEachKernelNeeds) {
  CpuFeatures none;
  for (Int8Kernel kernel : all_int8_kernels()) {
    EXPECT_EQ(int8_kernel_runs_on(kernel, none), kernel == Int8Kernel::kPortable);
  }
  CpuFeatures zen4;  // AVX-512 with VNNI, no AVX-VNNI
  zen4.avx2 = zen4.avx512bw = zen4.avx512_vnni = true;
  EXPECT_TRUE(int8_kernel_runs_on(Int8Kernel::kAvx512Vnni, zen4));
  EXPECT_FALSE(int8_kernel_runs_on(Int8Kernel::kAvxVnni, zen4));
  CpuFeatures alder_lake;  // AVX-VNNI, AVX-512 disabled
  alder_lake.avx2 = alder_lake.avx_vnni = true;
  EXPECT_TRUE(int8_kernel_runs_on(Int8Kernel::kAvxVnni, alder_lake));
  EXPECT_FALSE(int8_kernel_runs_on(Int8Kernel::kAvx512Bw, alder_lake));
}

}  // namespace
}  // namespace rrg
