// rrg's side of the libtorch module: finds librrg_torch.so, loads it on first use, checks its ABI
// version and wraps its C interface (rrg/core/torch_module_abi.h) in C++.
//
// The module is looked up at $RRG_TORCH_MODULE when set, otherwise next to the running
// executable (the build puts build/librrg_torch.so beside build/rrg). It is loaded once per
// process, the first time TorchModel::load() runs, and stays loaded; nothing else in rrg touches
// libtorch. In a build configured with -DRRG_WITH_TORCH=OFF, load() fails with one sentence that
// names the switch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rrg {

enum class TorchDtype : std::int32_t { kFloat32 = 1, kInt64 = 2 };

// An input tensor: a view of caller-owned contiguous row-major data.
struct TorchInput {
  TorchDtype dtype = TorchDtype::kFloat32;
  std::vector<std::int64_t> shape;
  const void* data = nullptr;
};

// An output tensor, copied out of the module.
struct TorchOutput {
  std::vector<std::int64_t> shape;
  std::vector<float> data;
};

// A model living in the libtorch module. Not thread-safe: one run() at a time.
class TorchModel {
 public:
  // Loads the module (first call only) and a model of `kind` with key/value `options` (see the
  // kinds documented in torch_module_abi.h). Throws rrg::InputError when the module rejects the
  // user's file or options, std::runtime_error when the module cannot be found or loaded.
  static std::unique_ptr<TorchModel> load(
      const std::string& kind, const std::vector<std::pair<std::string, std::string>>& options);

  ~TorchModel();
  TorchModel(const TorchModel&) = delete;
  TorchModel& operator=(const TorchModel&) = delete;

  // JSON object describing the model (from the module).
  const std::string& description() const { return description_; }

  // Runs the model; throws like load().
  std::vector<TorchOutput> run(const std::vector<TorchInput>& inputs);

 private:
  struct Handle;
  explicit TorchModel(std::unique_ptr<Handle> handle, std::string description);
  std::unique_ptr<Handle> handle_;
  std::string description_;
};

// True once the module has been loaded into this process.
bool torch_module_loaded();

// The module file this process would load: $RRG_TORCH_MODULE, else librrg_torch.so next to the
// executable. For messages and docs.
std::string torch_module_path();

// A warning for run summaries when matrix products will be slow, or "": `blas` and `blas_core`
// are the module's "blas" and "blas_core" fields (what libtorch multiplies with: "OpenBLAS
// <configuration>" or "not OpenBLAS: <library>"; the kernels OpenBLAS chose, e.g. "SkylakeX").
// Warns when it is not OpenBLAS, and when OpenBLAS fell back to kernels older than this CPU's
// AVX2 (it does not know the CPU model and OPENBLAS_CORETYPE does not pick better ones).
std::string blas_speed_warning(const std::string& blas, const std::string& blas_core);

}  // namespace rrg
