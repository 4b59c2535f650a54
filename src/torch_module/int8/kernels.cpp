// kernel_ops(): the function table of each int8 kernel (see kernels.h).
#include "torch_module/int8/kernels.h"

namespace rrg::torch_module::int8 {

const KernelOps& kernel_ops(Int8Kernel kernel) {
  switch (kernel) {
#if defined(__x86_64__)
    case Int8Kernel::kAvx512Vnni:
      return avx512_vnni_kernel();
    case Int8Kernel::kAvxVnni:
      return avx_vnni_kernel();
    case Int8Kernel::kAvx512Bw:
      return avx512bw_kernel();
    case Int8Kernel::kAvx2:
      return avx2_kernel();
#endif
    default:
      return portable_kernel();
  }
}

}  // namespace rrg::torch_module::int8
