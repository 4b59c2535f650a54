#!/usr/bin/env bash
# Benchmark of `rrg evaluate` against the Python references available on Debian (NLTK 3.8 BLEU
# and METEOR), whole process, measured in the same run with hyperfine. Prints ratios.
#
#   scripts/bench_evaluate.sh            # 3,000 pairs, --help, METEOR on 10 pairs
#   scripts/bench_evaluate.sh --big      # also 1,000,000 pairs: wall time and peak memory
#
# rrg runs pinned to one core (taskset -c 0), as the targets are stated for one core. Needs a
# built tree (scripts/setup.sh) and hyperfine (installed by setup.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rrg="${RRG_BINARY:-$root/build/rrg}"
python=/usr/bin/python3
big=0
[[ "${1:-}" == "--big" ]] && big=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
one_core=(taskset -c 0)

"$python" "$root/scripts/bench/gen_corpus.py" 3000 "$work/c3k"
"$python" "$root/scripts/bench/gen_corpus.py" 10 "$work/c10"

echo "== 3,000 pairs, all lexical metrics of both families (coco + seed), one core"
hyperfine --warmup 3 --runs 20 -N --export-json "$work/h1a.json" \
  "${one_core[*]} $rrg evaluate --pred $work/c3k/pred.jsonl --ref $work/c3k/ref.jsonl --labeler none --quiet"
hyperfine --runs 3 -N --export-json "$work/h1b.json" \
  "$python $root/scripts/bench/nltk_reference.py $work/c3k/pred.jsonl $work/c3k/ref.jsonl --metrics bleu" \
  "$python $root/scripts/bench/nltk_reference.py $work/c3k/pred.jsonl $work/c3k/ref.jsonl --metrics meteor"

echo "== rrg --help"
hyperfine --warmup 5 --runs 50 -N --export-json "$work/h2.json" "$rrg --help"

echo "== METEOR on 10 pairs (WordNet included), whole process"
hyperfine --warmup 3 --runs 30 -N --export-json "$work/h3a.json" \
  "${one_core[*]} $rrg evaluate --pred $work/c10/pred.jsonl --ref $work/c10/ref.jsonl --metrics METEOR --labeler none --quiet"
hyperfine --runs 5 -N --export-json "$work/h3b.json" \
  "$python $root/scripts/bench/nltk_reference.py $work/c10/pred.jsonl $work/c10/ref.jsonl --metrics meteor"

"$python" - "$work" <<'PY'
import json, sys
w = sys.argv[1]
def means(name):
    return [r["mean"] for r in json.load(open(f"{w}/{name}"))["results"]]
rrg3k, = means("h1a.json")
bleu3k, meteor3k = means("h1b.json")
help_, = means("h2.json")
rrg10, = means("h3a.json")
meteor10, = means("h3b.json")
print()
print(f"3,000 pairs, all 12 lexical metrics: rrg {rrg3k*1000:.1f} ms (target < 100 ms)")
print(f"  NLTK BLEU-1..4 alone:  {bleu3k*1000:.0f} ms  -> rrg is {bleu3k/rrg3k:.0f}x faster while computing all 12 metrics")
print(f"  NLTK METEOR alone:     {meteor3k*1000:.0f} ms  -> rrg is {meteor3k/rrg3k:.0f}x faster")
print(f"rrg --help: {help_*1000:.1f} ms (target < 20 ms)")
print(f"METEOR on 10 pairs: rrg {rrg10*1000:.1f} ms (target < 20 ms), NLTK {meteor10*1000:.0f} ms -> {meteor10/rrg10:.0f}x")
PY

if ((big)); then
  echo "== 1,000,000 pairs, all lexical metrics, one core"
  "$python" "$root/scripts/bench/gen_corpus.py" 1000000 "$work/c1m"
  /usr/bin/time -f "wall %e s, peak RSS %M KiB" "${one_core[@]}" "$rrg" evaluate \
    --pred "$work/c1m/pred.jsonl" --ref "$work/c1m/ref.jsonl" --labeler none --quiet
  echo "(targets: < 60 s, < 2 GB = 2097152 KiB)"
fi
