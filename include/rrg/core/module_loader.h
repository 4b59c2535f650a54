// Finding and loading rrg's optional modules: shared libraries built beside the rrg binary that
// carry heavy dependencies (OpenCV and DCMTK for images), so that `rrg --help` and evaluation
// never pay their start-up. A module exports one C init function; the caller checks the ABI
// version of the table it returns (the pattern of whisper.cpp's ggml-backend-reg.cpp).
#pragma once

#include <string>

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
// a message that names the path, the reason and what to do.
void* load_module_init(const ModuleSpec& spec);

}  // namespace rrg
