/* Test fixture: a module that claims another ABI version, to check rrg's version test. */
#include "rrg/core/torch_module_abi.h"

static const rrg_torch_module_api kFake = {
    RRG_TORCH_MODULE_ABI_VERSION + 998, "0.0", 0, 0, 0, 0, 0};

__attribute__((visibility("default"))) const rrg_torch_module_api* rrg_torch_module_init(
    int32_t rrg_abi_version) {
  (void)rrg_abi_version;
  return &kFake;
}
