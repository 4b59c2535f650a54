#!/usr/bin/env bash
# CTest entry of the serve page's browser tests (label "browser"): real headless Chromium driven
# by python3-selenium against the real `rrg serve` and the scripted loopback LLM server
# (rrg-llm-dev serve). Exit 77 (CTest: skipped) when /usr/bin/python3, selenium or the browser is
# missing; scripts/test.sh installs them.
#
#   run_browser_tests.sh RRG_BINARY RRG_LLM_DEV_BINARY SCREENSHOT_DIR [--docs-screenshot PNG]
#                        [--docs-report-screenshot PNG] [TESTS...]
set -euo pipefail
python=/usr/bin/python3
if [[ ! -x "$python" ]]; then
  echo "browser tests: no $python; skipped"
  exit 77
fi
exec "$python" "$(dirname "${BASH_SOURCE[0]}")/serve_browser_test.py" "$@"
