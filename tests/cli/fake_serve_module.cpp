// A server module "from another build" (tests/cli/startup_cli_test.cpp): the right ABI version
// and init symbol, another fingerprint. rrg must refuse it before calling anything in it.
#include "rrg/serve/serve_module_abi.h"

extern "C" __attribute__((visibility("default"))) const rrg_serve_module_api* rrg_serve_module_init(
    std::int32_t /*abi_version*/) {
  static const rrg_serve_module_api api = {RRG_SERVE_MODULE_ABI_VERSION,
                                           "0123456789ab|another compiler|1",
                                           nullptr,
                                           nullptr,
                                           nullptr,
                                           nullptr,
                                           nullptr};
  return &api;
}
