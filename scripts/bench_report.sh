#!/usr/bin/env bash
# Size and render time of `rrg evaluate --html` and `rrg compare --html` for 3,000 samples (a
# benchmark, not a test).
#
#   scripts/bench_report.sh            # 3,000 pairs of ~220- and ~530-character references
#   scripts/bench_report.sh 10000      # another sample count
#
# For each corpus: the report's size and the wall time of the command that writes it (rules
# labeler, every metric), then, in headless Chromium (the browser tests' packages), the median
# over 5 fresh loads of DOMContentLoaded, first contentful paint and the load event, plus the
# time a header click (sort every row by BLEU-4, draw the first page) and a filter keystroke
# take. The comparison has three systems: the corpus's predictions, those of a second corpus
# (another seed: unrelated texts) and the references themselves; --ar-trials 1000 --bootstrap
# 200 keep its tests short (they do not change the report's size). Targets (issue 13): under
# 5 MB, rendered in under 2 s.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rrg="${RRG_BINARY:-$root/build/rrg}"
python=/usr/bin/python3
n="${1:-3000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() {  # measure LABEL HTML WALL_SECONDS CORPUS_DIR
  "$python" - "$@" "$root" <<'PY'
import json, os, statistics, sys
label, html, wall, corpus, root = sys.argv[1:]
sys.path.insert(0, os.path.join(root, "tests", "support"))
size = os.path.getsize(html)
print(f"  {label}: {size / 1e6:.2f} MB (target < 5 MB), written in {float(wall):.2f} s")
import browser
try:
    import selenium  # noqa: F401
except ImportError:
    print("    (no python3-selenium: render time not measured)")
    sys.exit(0)
loads = []
b = browser.Browser(1400, 1000)
try:
    for _ in range(5):
        b.driver.get("about:blank")
        b.driver.get("file://" + html)
        loads.append(b.driver.execute_script("""
            const t = performance.getEntriesByType('navigation')[0];
            const paint = performance.getEntriesByName('first-contentful-paint')[0];
            return [t.domContentLoadedEventEnd, paint ? paint.startTime : NaN, t.loadEventEnd];"""))
    interaction = b.driver.execute_script("""
        const button = Array.from(document.querySelectorAll('#sample-table th button'))
            .find(b => b.textContent.endsWith('BLEU-4'));
        let t0 = performance.now(); button.click(); const sort = performance.now() - t0;
        const box = document.getElementById('filter');
        t0 = performance.now(); box.value = 'edema'; box.dispatchEvent(new Event('input'));
        const filter = performance.now() - t0;
        return [sort, filter, document.querySelectorAll('#sample-table tbody').length];""")
    errors = b.console_errors()
finally:
    b.quit()
def median(k):
    values = [x[k] for x in loads if x[k] is not None]
    return statistics.median(values) if values else float("nan")
med = [median(k) for k in range(3)]
print(f"    Chromium (median of 5 loads): DOMContentLoaded {med[0]:.0f} ms, first contentful "
      f"paint {med[1]:.0f} ms, load event {med[2]:.0f} ms (target < 2000 ms)")
print(f"    sort every row by a header click + draw a page: {interaction[0]:.0f} ms; "
      f"filter keystroke: {interaction[1]:.0f} ms; console errors: {len(errors)}")
PY
}

for sentences in 3-7 8-16; do
  corpus="$work/c$sentences"
  "$python" "$root/scripts/bench/gen_corpus.py" "$n" "$corpus" --sentences "$sentences"
  "$python" "$root/scripts/bench/gen_corpus.py" "$n" "$corpus/other" --sentences "$sentences" \
    --seed 14
  "$python" - "$corpus" "$sentences" <<'PY'
import json, os, sys
corpus, sentences = sys.argv[1:]
def mean_length(name):
    lengths = [len(json.loads(line)["report"]) for line in open(os.path.join(corpus, name))]
    return sum(lengths) / len(lengths), len(lengths)
pred, n = mean_length("pred.jsonl")
ref, _ = mean_length("ref.jsonl")
print(f"== {n} samples, references of {sentences} sentences (mean {ref:.0f} chars, predictions {pred:.0f})")
PY
  start=$(date +%s.%N)
  RRG_CONFIG=/dev/null "$rrg" evaluate --pred "$corpus/pred.jsonl" --ref "$corpus/ref.jsonl" \
    --labeler rules --html "$corpus/report.html" -q
  end=$(date +%s.%N)
  measure "rrg evaluate --html" "$corpus/report.html" "$(awk "BEGIN {print $end - $start}")" "$corpus"

  start=$(date +%s.%N)
  RRG_CONFIG=/dev/null "$rrg" compare --ref "$corpus/ref.jsonl" --sys "model=$corpus/pred.jsonl" \
    --sys "other=$corpus/other/pred.jsonl" --sys "oracle=$corpus/ref.jsonl" --labeler rules \
    --ar-trials 1000 --bootstrap 200 --html "$corpus/compare.html" -q
  end=$(date +%s.%N)
  measure "rrg compare --html (3 systems)" "$corpus/compare.html" "$(awk "BEGIN {print $end - $start}")" \
    "$corpus"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
