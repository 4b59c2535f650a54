// Loading the libtorch module on demand (see torch_module.h).
//
// State: one process-wide record of the load attempt (the dlopen handle is never closed, as
// libtorch does not support being unloaded; a failed attempt is remembered and its message
// repeated). RRG_TORCH_MODULE_BUILT (set by src/core/CMakeLists.txt) is 0 when the build was
// configured with -DRRG_WITH_TORCH=OFF; the loader then fails with one sentence naming the switch.
#include "rrg/core/torch_module.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "rrg/core/cpu_features.h"
#include "rrg/core/errors.h"
#include "rrg/core/module_loader.h"
#include "rrg/core/torch_module_abi.h"

#ifndef RRG_TORCH_MODULE_BUILT
#define RRG_TORCH_MODULE_BUILT 0
#endif

namespace rrg {
namespace {

const ModuleSpec& torch_module_spec() {
  static const ModuleSpec spec{"librrg_torch.so", "RRG_TORCH_MODULE", RRG_TORCH_MODULE_INIT_SYMBOL,
                               "libtorch module (CMake target rrg_torch; needs libtorch-dev)"};
  return spec;
}

struct ModuleState {
  std::mutex mutex;
  bool attempted = false;
  const rrg_torch_module_api* api = nullptr;
  std::string error;  // why loading failed
};

ModuleState& state() {
  static ModuleState s;
  return s;
}

// Loads the module or returns why it cannot be loaded.
std::string try_load(const rrg_torch_module_api*& api) {
  if (!RRG_TORCH_MODULE_BUILT) {
    return "this rrg was built without libtorch support (-DRRG_WITH_TORCH=OFF); reconfigure with "
           "-DRRG_WITH_TORCH=ON (needs the Debian package libtorch-dev) to use models that need "
           "it";
  }
  rrg_torch_module_init_fn init = nullptr;
  try {
    init = reinterpret_cast<rrg_torch_module_init_fn>(load_module_init(torch_module_spec()));
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  const rrg_torch_module_api* table = init(RRG_TORCH_MODULE_ABI_VERSION);
  if (table == nullptr || table->abi_version != RRG_TORCH_MODULE_ABI_VERSION) {
    char message[256];
    std::snprintf(message, sizeof message, "incompatible module version (module: %d, rrg: %d)",
                  table ? static_cast<int>(table->abi_version) : -1,
                  static_cast<int>(RRG_TORCH_MODULE_ABI_VERSION));
    return torch_module_path() + ": " + message + "; rebuild rrg and " +
           torch_module_spec().file_name + " from the same checkout";
  }
  api = table;
  return "";
}

const rrg_torch_module_api& module_api() {
  ModuleState& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.attempted) {
    s.attempted = true;
    s.error = try_load(s.api);
  }
  if (s.api == nullptr) throw std::runtime_error(s.error);
  return *s.api;
}

[[noreturn]] void throw_status(const rrg_torch_status& status) {
  if (status.code == RRG_TORCH_INPUT_ERROR) throw InputError(status.message);
  throw std::runtime_error(status.message);
}

}  // namespace

struct TorchModel::Handle {
  const rrg_torch_module_api* api = nullptr;
  rrg_torch_model* model = nullptr;
};

bool torch_module_loaded() {
  ModuleState& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.api != nullptr;
}

std::string torch_module_path() {
  return module_path(torch_module_spec());
}

std::string blas_speed_warning(const std::string& blas, const std::string& blas_core) {
  if (blas.empty()) return "";
  if (blas.rfind("OpenBLAS", 0) != 0) {
    return "libtorch multiplies matrices with " + blas +
           ", far slower than OpenBLAS (docs/chexbert.md, \"Threads and BLAS\")";
  }
  // OpenBLAS's kernels that predate AVX2.
  static const char* const kOldCores[] = {"Prescott", "Core2",       "Penryn", "Dunnington",
                                          "Nehalem",  "Sandybridge", "Atom"};
  if (!cpu_features().avx2) return "";
  for (const char* core : kOldCores) {
    if (blas_core != core) continue;
    const char* chosen = openblas_coretype_for(cpu_features());
    const std::string better = chosen != nullptr ? chosen : "Haswell";
    return "OpenBLAS does not know this CPU and runs its " + blas_core +
           " kernels, several times slower than its " + better +
           " ones; set OPENBLAS_CORETYPE=" + better + " (docs/chexbert.md, \"Threads and BLAS\")";
  }
  return "";
}

std::unique_ptr<TorchModel> TorchModel::load(
    const std::string& kind, const std::vector<std::pair<std::string, std::string>>& options) {
  const rrg_torch_module_api& api = module_api();
  std::vector<const char*> keys, values;
  for (const auto& [key, value] : options) {
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  rrg_torch_status status{};
  rrg_torch_model* model =
      api.load(kind.c_str(), options.size(), keys.data(), values.data(), &status);
  if (model == nullptr) throw_status(status);
  auto handle = std::make_unique<Handle>();
  handle->api = &api;
  handle->model = model;
  std::string description = api.describe(model);
  return std::unique_ptr<TorchModel>(new TorchModel(std::move(handle), std::move(description)));
}

TorchModel::TorchModel(std::unique_ptr<Handle> handle, std::string description)
    : handle_(std::move(handle)), description_(std::move(description)) {}

TorchModel::~TorchModel() {
  if (handle_ && handle_->model != nullptr) handle_->api->destroy(handle_->model);
}

std::vector<TorchOutput> TorchModel::run(const std::vector<TorchInput>& inputs) {
  std::vector<rrg_torch_tensor> c_inputs(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].shape.size() > RRG_TORCH_MAX_DIMS) {
      throw std::invalid_argument("TorchModel::run: input has more than 4 dimensions");
    }
    c_inputs[i].dtype = static_cast<std::int32_t>(inputs[i].dtype);
    c_inputs[i].ndim = static_cast<std::int32_t>(inputs[i].shape.size());
    for (std::size_t d = 0; d < inputs[i].shape.size(); ++d) {
      c_inputs[i].shape[d] = inputs[i].shape[d];
    }
    c_inputs[i].data = const_cast<void*>(inputs[i].data);
  }
  constexpr std::size_t kMaxOutputs = 8;
  rrg_torch_tensor c_outputs[kMaxOutputs] = {};
  std::size_t n_outputs = 0;
  rrg_torch_status status{};
  const rrg_torch_module_api& api = *handle_->api;
  if (api.run(handle_->model, c_inputs.size(), c_inputs.data(), kMaxOutputs, c_outputs, &n_outputs,
              &status) != RRG_TORCH_OK) {
    throw_status(status);
  }
  std::vector<TorchOutput> outputs(n_outputs);
  for (std::size_t i = 0; i < n_outputs; ++i) {
    if (c_outputs[i].dtype != RRG_TORCH_FLOAT32) {
      api.free_outputs(n_outputs, c_outputs);
      throw std::runtime_error("rrg's libtorch module returned a non-float32 output");
    }
    std::size_t count = 1;
    for (int d = 0; d < c_outputs[i].ndim; ++d) {
      outputs[i].shape.push_back(c_outputs[i].shape[d]);
      count *= static_cast<std::size_t>(c_outputs[i].shape[d]);
    }
    const auto* data = static_cast<const float*>(c_outputs[i].data);
    outputs[i].data.assign(data, data + count);
  }
  api.free_outputs(n_outputs, c_outputs);
  return outputs;
}

}  // namespace rrg
