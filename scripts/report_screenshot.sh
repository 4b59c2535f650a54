#!/usr/bin/env bash
# Regenerates docs/img/report.png, the README's picture of `rrg evaluate --html`: the browser
# test (tests/report/browser/) renders the bundled examples' report in headless Chromium and
# saves the clinical section. Needs a built tree and the browser packages scripts/test.sh
# installs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RRG_BUILD_DIR:-$root/build}"
mkdir -p "$root/docs/img"
"$root/tests/report/browser/run_browser_tests.sh" "$build_dir/rrg" "$build_dir/test-screenshots" \
  --docs-screenshot "$root/docs/img/report.png" ReportInBrowser.test_charts_are_drawn
echo "report_screenshot.sh: wrote docs/img/report.png"
