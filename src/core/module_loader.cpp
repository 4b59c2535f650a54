// dlopen-based module loading (see module_loader.h). Handles are never closed: modules stay
// loaded for the life of the process.
#include "rrg/core/module_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "rrg/core/cpu_features.h"

#ifndef RRG_MODULE_BUILD_DIR
#define RRG_MODULE_BUILD_DIR ""
#endif

namespace rrg {

std::string module_path(const ModuleSpec& spec) {
  if (const char* env = std::getenv(spec.env_var.c_str()); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto beside = exe.parent_path() / spec.file_name;
    if (std::filesystem::exists(beside, ec)) return beside.string();
  }
  const std::string build_dir = RRG_MODULE_BUILD_DIR;
  if (!build_dir.empty() && std::filesystem::exists(build_dir + "/" + spec.file_name, ec)) {
    return build_dir + "/" + spec.file_name;
  }
  return ec ? spec.file_name : (exe.parent_path() / spec.file_name).string();
}

namespace {

// Settings that libgomp and OpenBLAS read once, when they are loaded. Both come with libtorch
// (the torch module) and with OpenCV (the image module, through LAPACK), so they are set before
// any module is opened: whichever loads them first, every model of the process runs with the
// same ones (and the same OpenBLAS kernels give the same float32 bits). Values the user set are
// kept.
void prepare_native_library_environment() {
  // libgomp's threads by default spin between parallel regions. On a machine shared with other
  // jobs that burns the cores the other threads need (measured on a busy 2-core machine:
  // CheXbert fp32 1.2x and int8 1.6x slower, up to 1.8x the CPU time); waking a sleeping thread
  // costs microseconds, little next to BERT's matrix products.
  ::setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
  // OpenBLAS picks its kernels from the CPU model; on CPUs newer than Debian's OpenBLAS that is
  // its slowest kernels (see openblas_coretype_for). An empty value counts as unset, as
  // OpenBLAS then detects the CPU itself.
  const char* user_core = std::getenv("OPENBLAS_CORETYPE");
  if (const char* core = openblas_coretype_for(cpu_features());
      core != nullptr && (user_core == nullptr || *user_core == '\0')) {
    ::setenv("OPENBLAS_CORETYPE", core, /*overwrite=*/1);
  }
}

}  // namespace

void* load_module_init(const ModuleSpec& spec) {
  prepare_native_library_environment();
  const std::string path = module_path(spec);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw std::runtime_error("rrg's " + spec.purpose + " was not found at " + path +
                             "; it is built beside the rrg binary (scripts/setup.sh builds it): "
                             "keep it there or set " +
                             spec.env_var + " to its path");
  }
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw std::runtime_error("cannot load rrg's " + spec.purpose + " " + path + ": " +
                             (why != nullptr ? why : "unknown error") +
                             " (are its libraries installed? scripts/setup.sh installs them)");
  }
  void* init = ::dlsym(handle, spec.init_symbol.c_str());
  if (init == nullptr) {
    throw std::runtime_error(path + " is not rrg's " + spec.purpose + " (it does not export " +
                             spec.init_symbol + ")");
  }
  return init;
}

void* open_system_library(const std::string& soname, const std::string& needed_for,
                          const std::string& package) {
  void* handle = ::dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw std::runtime_error("cannot load " + soname + " (" +
                             (why != nullptr ? why : "unknown error") + "), which " + needed_for +
                             " needs: install the Debian package " + package +
                             " (scripts/setup.sh installs it)");
  }
  return handle;
}

void* library_symbol(void* handle, const std::string& soname, const char* name,
                     const std::string& package) {
  void* symbol = ::dlsym(handle, name);
  if (symbol == nullptr) {
    throw std::runtime_error(soname + " has no function " + name +
                             " (too old? install the Debian 12 package " + package + ")");
  }
  return symbol;
}

const void* LoadedModule::get(const std::function<const void*(void* init)>& open) {
  std::call_once(loaded_, [&] {
    try {
      table_ = open(load_module_init(spec_));
      if (table_ == nullptr) error_ = spec_.purpose + " " + module_path(spec_) + " gave no table";
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  });
  if (table_ == nullptr) throw std::runtime_error(error_);
  return table_;
}

}  // namespace rrg
