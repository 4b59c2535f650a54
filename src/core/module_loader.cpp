// dlopen-based module loading (see module_loader.h). Handles are never closed: modules stay
// loaded for the life of the process.
#include "rrg/core/module_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

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

void* load_module_init(const ModuleSpec& spec) {
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
