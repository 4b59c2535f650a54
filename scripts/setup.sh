#!/usr/bin/env bash
# Sets up rrg on a Debian 12 machine: installs the Debian packages it needs (only the missing
# ones; runs apt-get update first when something must be installed), then configures and builds
# into build/. Safe to run again: a second run installs nothing and rebuilds only what changed.
#
#   scripts/setup.sh                 # install + build (Release)
#   RRG_BUILD_TYPE=Debug scripts/setup.sh
#   RRG_SKIP_INSTALL=1 scripts/setup.sh   # build only (packages already present)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RRG_BUILD_DIR:-$root/build}"
build_type="${RRG_BUILD_TYPE:-Release}"

packages=(
  # toolchain
  g++ cmake make pkg-config git ca-certificates
  # libraries rrg links
  libcli11-dev nlohmann-json3-dev libxlsxwriter-dev zlib1g-dev libsqlite3-dev
  libcurl4-openssl-dev libspdlog-dev libfmt-dev libcpp-httplib-dev libssl-dev
  libtomlplusplus-dev
  libopencv-dev libdcmtk-dev libtorch-dev libopenblas0-openmp
  # data read at run time: WordNet 3.0 for METEOR's synonym stage
  wordnet-base
  # tests and benchmarks: GoogleTest, Google Benchmark, reference implementations used as
  # test-time oracles (they install for /usr/bin/python3), hyperfine for whole-process timing
  libgtest-dev libgmock-dev libbenchmark-dev python3 python3-nltk python3-sklearn python3-torch
  hyperfine time ninja-build
  # NumPy: test-time oracle for np.mean summation order (tests/metrics/python_math_test.cpp)
  python3-numpy
  # OpenCV for /usr/bin/python3: test-time oracle of the image encoder's resize
  # (tests/pipelines/encoder_reference.py)
  python3-opencv
  # Python's `regex` module (HF's GPT-2/RoBERTa pre-tokenization engine): test-time oracle of the
  # byte-level BPE pre-tokenizer and source of its tables (scripts/gen_gpt2_tables.py)
  python3-regex
)
# Extra packages a caller asks for (scripts/test.sh: the browser tests' Chromium).
read -r -a extra_packages <<<"${RRG_EXTRA_PACKAGES:-}"
packages+=("${extra_packages[@]}")

if [[ "${RRG_SKIP_INSTALL:-0}" != "1" ]]; then
  missing=()
  for pkg in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
  done
  if ((${#missing[@]} > 0)); then
    sudo=()
    if [[ "$(id -u)" != "0" ]]; then
      command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
      sudo=(sudo)
    fi
    echo "setup.sh: installing ${#missing[@]} Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

generator=()
if command -v ninja >/dev/null && [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  generator=(-G Ninja)
fi
cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
echo "setup.sh: built $build_dir/rrg"
