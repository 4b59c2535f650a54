// Finding and loading rrg's optional modules: shared libraries built beside the rrg binary that
// carry heavy dependencies (OpenCV and DCMTK for images), so that `rrg --help` and evaluation
// never pay their start-up. A module exports one C init function; the caller checks the ABI
// version of the table it returns (the pattern of whisper.cpp's ggml-backend-reg.cpp).
//
// Also system libraries with a small C interface that only some commands need (libcurl,
// libcrypto, libxlsxwriter; issue 16): rrg does not link them but opens them by soname on first
// use and fills a table of typed function pointers (open_system_library, library_function).
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <utility>

namespace rrg {

struct ModuleSpec {
  std::string file_name;    // e.g. "librrg_image.so"
  std::string env_var;      // overrides the location, e.g. "RRG_IMAGE_MODULE"
  std::string init_symbol;  // the one exported C function
  std::string purpose;      // for messages, e.g. "image module (OpenCV, DCMTK)"
};

// Where the module is looked for: $env_var when set, else next to the running executable, else
// in the build tree rrg was built in (so test programs find it too).
std::string module_path(const ModuleSpec& spec);

// dlopen()s the module and returns its init function's address. Throws std::runtime_error with
// a message that names the path, the reason and what to do. Before the first module opens, sets
// what libgomp and OpenBLAS read when they load, unless the user set it: OMP_WAIT_POLICY=PASSIVE
// and, on CPUs with AVX-512, OPENBLAS_CORETYPE (rrg::openblas_coretype_for).
void* load_module_init(const ModuleSpec& spec);

// A module loaded on first use, once per process: get() dlopen()s it the first time and hands
// its init function to `open`, which returns the module's table (or throws, e.g. std::runtime_error
// for a table of another ABI). A failure is remembered: every later get() throws the same message.
class LoadedModule {
 public:
  explicit LoadedModule(ModuleSpec spec) : spec_(std::move(spec)) {}
  const ModuleSpec& spec() const { return spec_; }
  const void* get(const std::function<const void*(void* init)>& open);

 private:
  const ModuleSpec spec_;
  std::once_flag loaded_;
  const void* table_ = nullptr;
  std::string error_;
};

// dlopen()s a system library by soname (e.g. "libcurl.so.4"). Throws std::runtime_error naming
// it, the loader's reason, what needs it (`needed_for`, e.g. "the LLM client") and the Debian
// package to install.
void* open_system_library(const std::string& soname, const std::string& needed_for,
                          const std::string& package);

// The address of `name` in a library open_system_library() returned. Throws std::runtime_error
// (naming the library and `package`: it is probably too old) when it has none.
void* library_symbol(void* handle, const std::string& soname, const char* name,
                     const std::string& package);

// library_symbol() cast to the type of `out`, e.g. decltype(&::curl_easy_init).
template <typename Function>
void library_function(void* handle, const std::string& soname, const char* name,
                      const std::string& package, Function& out) {
  out = reinterpret_cast<Function>(library_symbol(handle, soname, name, package));
}

}  // namespace rrg
