#!/usr/bin/env bash
# Sets up rrg (scripts/setup.sh) and runs the whole test suite with CTest.
# The parity tests compare with ../shared (or $RRG_SHARED_DIR) and skip when it is absent.
#
#   scripts/test.sh              # everything
#   scripts/test.sh -L unit      # extra arguments go to ctest (here: only unit tests)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RRG_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 900 "$@"
