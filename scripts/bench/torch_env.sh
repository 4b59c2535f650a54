# Sourced by the benchmarks that time rrg's libtorch module against python3-torch loops: gives the
# Python side the same libgomp and OpenBLAS settings rrg gives libtorch before loading it
# (src/core/module_loader.cpp), so both sides multiply matrices with the same kernels and wait the
# same way. Values the caller exported are kept.
#
# - OMP_WAIT_POLICY=PASSIVE: OpenMP threads sleep between parallel regions instead of spinning.
# - OPENBLAS_CORETYPE=SkylakeX on CPUs with Skylake-SP's AVX-512 set (AVX-512 F, CD, BW, DQ, VL;
#   rrg::openblas_coretype_for): Debian 12's OpenBLAS runs CPU models newer than itself (e.g.
#   Emerald Rapids) with its SSE3 "Prescott" kernels, about 5x slower.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  cpu_flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
  skylake_set=1
  for flag in avx512f avx512cd avx512bw avx512dq avx512vl; do
    [[ "$cpu_flags" == *" $flag "* ]] || skylake_set=0
  done
  if ((skylake_set)); then export OPENBLAS_CORETYPE=SkylakeX; fi
  unset cpu_flags skylake_set flag
fi
