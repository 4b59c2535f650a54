// Choosing the int8 kernel and its start-up self-check (see kernel_choice.h).
#include "torch_module/int8/kernel_choice.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "rrg/core/errors.h"
#include "torch_module/int8/kernels.h"
#include "torch_module/int8/quantize.h"

namespace rrg::torch_module::int8 {
namespace {

std::string kernel_list(const std::vector<Int8Kernel>& kernels) {
  std::string out;
  for (Int8Kernel kernel : kernels)
    out += std::string(out.empty() ? "" : ", ") + int8_kernel_name(kernel);
  return out;
}

// A small product with fixed pseudo-random inputs and the extremes of the quantisation.
struct Problem {
  std::int64_t m, k, n;
  std::vector<float> x, w, bias;
};

Problem make_problem(std::int64_t m, std::int64_t k, std::int64_t n, std::uint32_t seed) {
  std::uint32_t state = seed;
  const auto uniform = [&state] {  // [-1, 1), from a 32-bit linear congruential generator
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) * (2.0f / 16777216.0f) - 1.0f;
  };
  Problem p{m, k, n, {}, {}, {}};
  p.x.resize(static_cast<std::size_t>(m * k));
  for (float& v : p.x) v = uniform();
  p.w.resize(static_cast<std::size_t>(n * k));
  for (float& v : p.w) v = 0.1f * uniform();
  p.bias.resize(static_cast<std::size_t>(n));
  for (float& v : p.bias) v = uniform();
  for (std::int64_t t = 0; t < k; ++t) {
    p.x[t] = 0.0f;                      // row 0: zeros (scale 0)
    p.x[k + t] = 1.0f;                  // row 1: every value +127 (offset 255)
    p.x[2 * k + t] = -1.0f;             // row 2: every value -127 (offset 1)
    p.w[t] = 0.5f;                      // weight row 0: every value +63, so row 1
    p.w[k + t] = t % 2 ? 0.5f : -0.5f;  //   meets vpmaddubsw's largest pair sum;
    p.w[2 * k + t] = 0.0f;              //   row 1: alternating +-63; row 2: zeros
  }
  p.x[3 * k] = 40.0f;  // row 3: an outlier
  return p;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string float_text(float v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", static_cast<double>(v));
  return text;
}

// "" when `ops` and the portable kernel agree bit for bit on `p`.
std::string compare_with_portable(const KernelOps& ops, const Problem& p) {
  const KernelOps& reference = portable_kernel();
  const Int8Weights w = quantize_weights(ops, p.w.data(), p.bias.data(), p.n, p.k);
  const Int8Weights w_ref = quantize_weights(reference, p.w.data(), p.bias.data(), p.n, p.k);
  if (w.packed != w_ref.packed || w.offset_sums != w_ref.offset_sums ||
      !same_bits(w.scales, w_ref.scales)) {
    return "its quantised weights differ";
  }
  Int8Rows a, a_ref;
  prepare_rows(p.m, p.k, a);
  prepare_rows(p.m, p.k, a_ref);
  quantize_rows(ops, p.x.data(), p.k, 0, p.m, a);
  quantize_rows(reference, p.x.data(), p.k, 0, p.m, a_ref);
  if (a.values != a_ref.values || !same_bits(a.scales, a_ref.scales)) {
    return "its quantised activations differ";
  }
  // Guard values after the last row catch a write past the end.
  const std::size_t size = static_cast<std::size_t>(p.m * p.n), guard = 64;
  std::vector<float> out(size + guard, -7.0f), out_ref(size + guard, -7.0f);
  const std::int64_t blocks = int8_column_blocks(w);
  reference.matmul(a_ref, w_ref, out_ref.data(), 0, blocks);
  // Two calls, as two threads would make them: a block range that starts past 0.
  ops.matmul(a, w, out.data(), 0, 1);
  ops.matmul(a, w, out.data(), 1, blocks);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (std::memcmp(&out[i], &out_ref[i], sizeof(float)) != 0) {
      if (i >= size) return "it writes past the end of its output";
      return "output [" + std::to_string(i / p.n) + ", " + std::to_string(i % p.n) + "] of a " +
             std::to_string(p.m) + " x " + std::to_string(p.k) + " x " + std::to_string(p.n) +
             " product is " + float_text(out[i]) + " instead of " + float_text(out_ref[i]);
    }
  }
  return "";
}

}  // namespace

std::string int8_self_check(Int8Kernel kernel) {
  return int8_self_check(kernel_ops(kernel));
}

std::string int8_self_check(const KernelOps& ops) {
  // 7 rows (a whole tile and a tail for 4- and 6-row tiles), k = 75 (a padded group), n = 83
  // (6 blocks: a 4-block tile and a 2-block tail; the last block 3 columns wide); then k = 2600,
  // whose 16-column blocks (41.6 kB) split the 7 blocks into several L2 chunks.
  for (const Problem& p : {make_problem(7, 75, 83, 16), make_problem(5, 2600, 100, 1600)}) {
    std::string problem = compare_with_portable(ops, p);
    if (!problem.empty()) return problem;
  }
  return "";
}

Int8KernelChoice choose_int8_kernel(const char* forced, const std::vector<Int8Kernel>& available,
                                    const std::function<std::string(Int8Kernel)>& self_check) {
  if (forced != nullptr && *forced != '\0') {
    const auto kernel = int8_kernel_from_name(forced);
    if (!kernel) {
      throw rrg::InputError(std::string("RRG_INT8_KERNEL=") + forced +
                            " names no int8 kernel; use one of " + kernel_list(all_int8_kernels()));
    }
    if (std::find(available.begin(), available.end(), *kernel) == available.end()) {
      throw rrg::InputError(std::string("RRG_INT8_KERNEL=") + forced +
                            ": this CPU cannot run the " + forced + " kernel (it can run " +
                            kernel_list(available) + ")");
    }
    if (*kernel != Int8Kernel::kPortable) {
      const std::string problem = self_check(*kernel);
      if (!problem.empty()) {
        throw std::runtime_error(std::string("RRG_INT8_KERNEL=") + forced +
                                 ": the kernel failed its start-up self-check against the "
                                 "portable kernel (" +
                                 problem + ")");
      }
    }
    return {*kernel, "forced by RRG_INT8_KERNEL"};
  }
  std::string note;
  for (Int8Kernel kernel : available) {
    if (kernel == Int8Kernel::kPortable) return {kernel, note};
    const std::string problem = self_check(kernel);
    if (problem.empty()) return {kernel, note};
    note += std::string(note.empty() ? "" : "; ") + int8_kernel_name(kernel) +
            " failed its start-up self-check (" + problem + ")";
  }
  return {Int8Kernel::kPortable, note};
}

const Int8KernelChoice& int8_kernel_choice() {
  static const Int8KernelChoice choice =
      choose_int8_kernel(std::getenv("RRG_INT8_KERNEL"), int8_kernels_for_this_cpu(),
                         [](Int8Kernel kernel) { return int8_self_check(kernel); });
  return choice;
}

}  // namespace rrg::torch_module::int8
