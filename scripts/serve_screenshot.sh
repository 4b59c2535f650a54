#!/usr/bin/env bash
# Regenerates the README's pictures of `rrg serve`: docs/img/serve_page.png (the study tab after
# a streamed draft, its labels and the metrics against a typed reference) and
# docs/img/serve_report.png (the report tab on the bundled examples) and docs/img/serve_encoder.png
# (the study tab with an image encoder's probabilities as bars; needs python3-torch). The browser tests
# (tests/serve/browser/) take them in headless Chromium against the scripted loopback LLM server.
# Needs a built tree (targets rrg and rrg-llm-dev) and the browser packages scripts/test.sh
# installs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RRG_BUILD_DIR:-$root/build}"
mkdir -p "$root/docs/img"
"$root/tests/serve/browser/run_browser_tests.sh" "$build_dir/rrg" "$build_dir/rrg-llm-dev" \
  "$build_dir/test-screenshots" \
  --docs-screenshot "$root/docs/img/serve_page.png" \
  --docs-report-screenshot "$root/docs/img/serve_report.png" \
  --docs-encoder-screenshot "$root/docs/img/serve_encoder.png" \
  ServePage.test_upload_generate_stream_label_and_score \
  ServePage.test_report_tab_shows_the_html_report \
  ServePage.test_encoder_probabilities_show_as_bars
echo "serve_screenshot.sh: wrote docs/img/serve_page.png, serve_report.png and serve_encoder.png"
