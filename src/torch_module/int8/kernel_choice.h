// Which int8 kernel runs: chosen once per process, the first time the int8 path is used.
//
// Without RRG_INT8_KERNEL: the fastest kernel this CPU can run (rrg/core/cpu_features.h) that
// passes a start-up self-check, i.e. gives bit for bit the portable kernel's quantised values and
// products on two small fixed problems (every tail of the tiling, the largest quantised values).
// A kernel that fails is skipped and the reason recorded in the choice's note, so a faulty
// kernel can never change a result. RRG_INT8_KERNEL=portable|avx2|avx512bw|avxvnni|avx512vnni
// forces a kernel (for tests and benchmarks); one this CPU cannot run, or that fails the
// self-check, is an error.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rrg/core/cpu_features.h"
#include "torch_module/int8/kernels.h"

namespace rrg::torch_module::int8 {

struct Int8KernelChoice {
  Int8Kernel kernel = Int8Kernel::kPortable;
  // Empty, or why it is not the fastest kernel of the CPU ("avx512vnni failed its start-up
  // self-check: ...") or that RRG_INT8_KERNEL chose it.
  std::string note;
};

// The process's choice (thread-safe). Throws rrg::InputError when RRG_INT8_KERNEL names no
// kernel or one this CPU cannot run, std::runtime_error when the forced kernel fails its
// self-check.
const Int8KernelChoice& int8_kernel_choice();

// The selection itself: `forced` is RRG_INT8_KERNEL's value (nullptr or "" when unset),
// `available` the CPU's kernels fastest first (ending with the portable one), `self_check` returns
// "" when a kernel passes, otherwise what differed.
Int8KernelChoice choose_int8_kernel(const char* forced, const std::vector<Int8Kernel>& available,
                                    const std::function<std::string(Int8Kernel)>& self_check);

// Runs `kernel` and the portable kernel on the self-check's problems; "" when every quantised
// value and every output agree bit for bit, otherwise the first difference.
std::string int8_self_check(Int8Kernel kernel);
std::string int8_self_check(const KernelOps& ops);

}  // namespace rrg::torch_module::int8
