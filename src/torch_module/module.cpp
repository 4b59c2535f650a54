// The entry point of librrg_torch.so: implements the C table of rrg/core/torch_module_abi.h on
// top of the C++ model kinds (torch_model.h), and owns the list of kinds (one line each).
//
// Every C function catches every exception and turns it into a status: rrg::InputError becomes
// RRG_TORCH_INPUT_ERROR (the user's file or options), anything else RRG_TORCH_RUNTIME_ERROR.
#include <ATen/Parallel.h>
#include <ATen/ops/from_blob.h>
#include <c10/util/Exception.h>
#include <dlfcn.h>
#include <link.h>
#include <torch/csrc/api/include/torch/version.h>

#include <limits.h>
#include <malloc.h>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <new>
#include <string>

#include "rrg/core/errors.h"
#include "rrg/core/torch_module_abi.h"
#include "torch_module/torch_model.h"

struct rrg_torch_model {
  std::unique_ptr<rrg::torch_module::Model> model;
  std::string description;
};

namespace rrg::torch_module {
namespace {

struct Kind {
  const char* name;
  std::unique_ptr<Model> (*load)(const Options&);
};

// One line per model kind.
constexpr Kind kKinds[] = {
    {"chexbert", load_chexbert},
    {"torchscript", load_torchscript},
    {"hf_encoder", load_hf_encoder},
    {"radgraph", load_radgraph},
};

void set_status(rrg_torch_status* status, int32_t code, const std::string& message) {
  if (status == nullptr) return;
  status->code = code;
  std::snprintf(status->message, sizeof status->message, "%s", message.c_str());
}

// Runs `body`, translating exceptions into `status`; returns the status code.
int32_t guarded(rrg_torch_status* status, const std::function<void()>& body) {
  try {
    body();
    set_status(status, RRG_TORCH_OK, "");
    return RRG_TORCH_OK;
  } catch (const rrg::InputError& e) {
    set_status(status, RRG_TORCH_INPUT_ERROR, e.what());
  } catch (const c10::Error& e) {
    set_status(status, RRG_TORCH_RUNTIME_ERROR,
               std::string("libtorch: ") + e.what_without_backtrace());
  } catch (const std::bad_alloc&) {
    set_status(status, RRG_TORCH_RUNTIME_ERROR, "out of memory");
  } catch (const std::exception& e) {
    set_status(status, RRG_TORCH_RUNTIME_ERROR, e.what());
  }
  return status ? status->code : RRG_TORCH_RUNTIME_ERROR;
}

// Once a model is loaded, the large allocations are the tensors of its forward passes (a
// roberta-large feed-forward activation of a 64-text batch is about 40 MB). glibc serves each
// allocation above its mmap threshold (at most 32 MB when it adjusts it itself) with pages of its
// own and returns them on free, so every batch faulted in and cleared fresh pages again for
// each layer: a fifth of an int8 BERTScore run on a 2-core Xeon went to page faults. From the
// first model load on, freed blocks stay in the heap for the next tensor instead. Set after
// the load, so the checkpoint's read buffers and the float weights that quantisation released
// have gone back to the system already; a user's own malloc tunables are left alone.
void keep_freed_tensor_memory() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) return;
    if (std::getenv("MALLOC_MMAP_THRESHOLD_") != nullptr ||
        std::getenv("MALLOC_TRIM_THRESHOLD_") != nullptr) {
      return;
    }
    ::mallopt(M_MMAP_THRESHOLD, 1 << 30);
    ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
  });
}

rrg_torch_model* c_load(const char* kind, size_t n_options, const char* const* keys,
                        const char* const* values, rrg_torch_status* status) {
  rrg_torch_model* result = nullptr;
  guarded(status, [&] {
    Options options;
    for (size_t i = 0; i < n_options; ++i) options[keys[i]] = values[i];
    std::string known;
    for (const Kind& k : kKinds) {
      if (std::strcmp(k.name, kind) == 0) {
        auto model = std::make_unique<rrg_torch_model>();
        model->model = k.load(options);
        model->description = model->model->describe();
        keep_freed_tensor_memory();
        result = model.release();
        return;
      }
      known += (known.empty() ? "" : ", ") + std::string(k.name);
    }
    throw std::runtime_error(std::string("rrg's libtorch module has no model kind '") + kind +
                             "' (it has: " + known + "); rebuild it from the same checkout");
  });
  return result;
}

const char* c_describe(const rrg_torch_model* model) {
  return model->description.c_str();
}

int32_t c_run(rrg_torch_model* model, size_t n_inputs, const rrg_torch_tensor* inputs,
              size_t max_outputs, rrg_torch_tensor* outputs, size_t* n_outputs,
              rrg_torch_status* status) {
  *n_outputs = 0;
  return guarded(status, [&] {
    std::vector<at::Tensor> tensors;
    for (size_t i = 0; i < n_inputs; ++i) {
      const rrg_torch_tensor& in = inputs[i];
      if (in.ndim < 0 || in.ndim > RRG_TORCH_MAX_DIMS) {
        throw std::invalid_argument("input tensor with invalid rank");
      }
      const auto dtype = in.dtype == RRG_TORCH_INT64 ? at::kLong : at::kFloat;
      tensors.push_back(at::from_blob(in.data, at::IntArrayRef(in.shape, in.ndim),
                                      at::TensorOptions().dtype(dtype)));
    }
    std::vector<at::Tensor> results = model->model->run(tensors);
    if (results.size() > max_outputs) throw std::runtime_error("too many outputs");
    for (size_t i = 0; i < results.size(); ++i) {
      at::Tensor t = results[i].to(at::kFloat).contiguous();
      rrg_torch_tensor& out = outputs[i];
      out.dtype = RRG_TORCH_FLOAT32;
      out.ndim = static_cast<int32_t>(t.dim());
      for (int64_t d = 0; d < t.dim(); ++d) out.shape[d] = t.size(d);
      const size_t bytes = static_cast<size_t>(t.numel()) * sizeof(float);
      out.data = std::malloc(bytes == 0 ? 1 : bytes);
      if (out.data == nullptr) throw std::bad_alloc();
      std::memcpy(out.data, t.data_ptr<float>(), bytes);
      *n_outputs = i + 1;
    }
  });
}

void c_free_outputs(size_t n_outputs, rrg_torch_tensor* outputs) {
  for (size_t i = 0; i < n_outputs; ++i) {
    std::free(outputs[i].data);
    outputs[i].data = nullptr;
  }
}

void c_destroy(rrg_torch_model* model) {
  delete model;
}

const rrg_torch_module_api kApi = {
    RRG_TORCH_MODULE_ABI_VERSION,
    TORCH_VERSION,
    c_load,
    c_describe,
    c_run,
    c_free_outputs,
    c_destroy,
};

}  // namespace

std::string required_option(const Options& options, const std::string& key,
                            const std::string& kind) {
  auto it = options.find(key);
  if (it == options.end() || it->second.empty()) {
    throw rrg::InputError(kind + ": the option '" + key + "' is required");
  }
  return it->second;
}

int int_option(const Options& options, const std::string& key, int fallback) {
  auto it = options.find(key);
  if (it == options.end() || it->second.empty()) return fallback;
  char* end = nullptr;
  const long value = std::strtol(it->second.c_str(), &end, 10);
  if (end == nullptr || *end != '\0' || value < INT_MIN || value > INT_MAX) {
    throw rrg::InputError("option '" + key + "' must be an integer, got '" + it->second + "'");
  }
  return static_cast<int>(value);
}

std::string shape_text(at::IntArrayRef shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    out += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return out + "]";
}

std::string blas_core() {
  void* openblas = ::dlopen("libopenblas.so.0", RTLD_LAZY | RTLD_NOLOAD);
  if (openblas == nullptr) return "";
  using CoreFn = const char* (*)();
  auto core = reinterpret_cast<CoreFn>(::dlsym(openblas, "openblas_get_corename"));
  return core ? core() : "";
}

std::string blas_description() {
  // libtorch calls sgemm_ from whatever libblas.so.3 the dynamic linker picked (Debian's
  // alternatives); the reference BLAS is ~60x slower than OpenBLAS for BERT.
  if (void* openblas = ::dlopen("libopenblas.so.0", RTLD_LAZY | RTLD_NOLOAD)) {
    using ConfigFn = const char* (*)();
    using ThreadsFn = int (*)();
    auto config = reinterpret_cast<ConfigFn>(::dlsym(openblas, "openblas_get_config"));
    auto threads = reinterpret_cast<ThreadsFn>(::dlsym(openblas, "openblas_get_num_threads"));
    std::string out = std::string("OpenBLAS ") + (config ? config() : "");
    if (threads) out += " (threads: " + std::to_string(threads()) + ")";
    return out;
  }
  std::string blas;
  ::dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        const char* name = info->dlpi_name;
        if (name != nullptr && std::strstr(name, "libblas.so") != nullptr) {
          char resolved[PATH_MAX];
          *static_cast<std::string*>(data) = ::realpath(name, resolved) ? resolved : name;
          return 1;
        }
        return 0;
      },
      &blas);
  if (blas.empty()) return "unknown BLAS";
  return "not OpenBLAS: " + blas +
         " (slow; install libopenblas0-openmp and select it with update-alternatives)";
}

}  // namespace rrg::torch_module

extern "C" __attribute__((visibility("default"))) const rrg_torch_module_api* rrg_torch_module_init(
    int32_t /*rrg_abi_version*/) {
  return &rrg::torch_module::kApi;
}
