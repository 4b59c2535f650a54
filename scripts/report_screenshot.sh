#!/usr/bin/env bash
# Regenerates the README's pictures of the HTML reports: docs/img/report.png (`rrg evaluate
# --html`, the clinical section of the bundled examples' report) and docs/img/compare_report.png
# (`rrg compare --html`, the summary of the bundled model against an always-normal system). The
# browser tests (tests/report/browser/) render them in headless Chromium. Needs a built tree and
# the browser packages scripts/test.sh installs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RRG_BUILD_DIR:-$root/build}"
mkdir -p "$root/docs/img"
"$root/tests/report/browser/run_browser_tests.sh" "$build_dir/rrg" "$build_dir/test-screenshots" \
  --docs-screenshot "$root/docs/img/report.png" \
  --docs-compare-screenshot "$root/docs/img/compare_report.png" \
  ReportInBrowser.test_charts_are_drawn ReportInBrowser.test_compare_report
echo "report_screenshot.sh: wrote docs/img/report.png and docs/img/compare_report.png"
