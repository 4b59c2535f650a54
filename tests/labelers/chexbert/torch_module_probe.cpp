// Test helper: loads one model through rrg's libtorch-module loader in a fresh process and
// prints its description, or the loader's error and exit status (2 InputError, 1 other).
// Used to test module discovery, the ABI version check and the compiled-out stub, which are
// process-wide state and cannot be reset inside one test process.
//
//   torch_module_probe KIND [KEY=VALUE ...]
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/core/torch_module.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: torch_module_probe KIND [KEY=VALUE ...]\n");
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> options;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    options.emplace_back(arg.substr(0, eq), eq == std::string::npos ? "" : arg.substr(eq + 1));
  }
  try {
    std::printf("loaded-before:%d\n", rrg::torch_module_loaded() ? 1 : 0);
    auto model = rrg::TorchModel::load(argv[1], options);
    std::printf("loaded-after:%d\n%s\n", rrg::torch_module_loaded() ? 1 : 0,
                model->description().c_str());
    return 0;
  } catch (const rrg::InputError& e) {
    std::fprintf(stderr, "input error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
