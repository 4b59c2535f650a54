#!/usr/bin/env bash
# Benchmark of `rrg evaluate` and `rrg annotate` (issue 16 targets), whole process, next to the
# Python references available on Debian (NLTK 3.8 BLEU and METEOR) measured in the same run.
#
#   scripts/bench_evaluate.sh            # 3,062 pairs, --help, METEOR on 10 pairs, annotate 100k
#   scripts/bench_evaluate.sh --big      # also 1,000,000 pairs and annotate 1,000,000 reports
#
# Targets (2 cores, --threads default = every core):
#   3,062 pairs, every lexical metric + the clinical family (rules labeler): <= 50 ms wall
#   1,000,000 pairs, same metrics: < 20 s wall, < 1.5 GB peak RSS
#   rules annotate: >= 500,000 reports/s end to end (read, label, write JSONL)
# Wall time is only meaningful on an otherwise idle machine: the script also prints the CPU time
# (user + system over all threads), which load from other processes inflates much less.
# Needs a built tree (scripts/setup.sh) and hyperfine (installed by setup.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rrg="${RRG_BINARY:-$root/build/rrg}"
python=/usr/bin/python3
big=0
[[ "${1:-}" == "--big" ]] && big=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" "$root/scripts/bench/gen_corpus.py" 3062 "$work/c3k"
"$python" "$root/scripts/bench/gen_corpus.py" 10 "$work/c10"
"$python" "$root/scripts/bench/gen_corpus.py" 100000 "$work/c100k"

eval3k="$rrg evaluate --pred $work/c3k/pred.jsonl --ref $work/c3k/ref.jsonl --labeler rules --quiet"
echo "== 3,062 pairs, every lexical metric (coco + seed) and the clinical family (rules)"
hyperfine --warmup 3 --runs 30 -N --export-json "$work/h1a.json" "$eval3k" "$eval3k --threads 1"
hyperfine --runs 3 -N --export-json "$work/h1b.json" \
  "$python $root/scripts/bench/nltk_reference.py $work/c3k/pred.jsonl $work/c3k/ref.jsonl --metrics bleu" \
  "$python $root/scripts/bench/nltk_reference.py $work/c3k/pred.jsonl $work/c3k/ref.jsonl --metrics meteor"

echo "== rrg --help"
hyperfine --warmup 5 --runs 50 -N --export-json "$work/h2.json" "$rrg --help"

echo "== METEOR on 10 pairs (WordNet included), whole process"
hyperfine --warmup 3 --runs 30 -N --export-json "$work/h3a.json" \
  "$rrg evaluate --pred $work/c10/pred.jsonl --ref $work/c10/ref.jsonl --metrics METEOR --labeler none --quiet"
hyperfine --runs 5 -N --export-json "$work/h3b.json" \
  "$python $root/scripts/bench/nltk_reference.py $work/c10/pred.jsonl $work/c10/ref.jsonl --metrics meteor"

echo "== rules annotate, 100,000 reports, JSONL out"
hyperfine --warmup 1 --runs 5 -N --export-json "$work/h4.json" \
  "$rrg annotate --labeler rules --in $work/c100k/ref.jsonl --out $work/labels.jsonl --quiet"

"$python" - "$work" <<'PY'
import json, sys
w = sys.argv[1]
def results(name):
    return json.load(open(f"{w}/{name}"))["results"]
def ms(r):
    return f"{r['mean']*1000:.1f} ms (min {r['min']*1000:.1f}; CPU {(r['user']+r['system'])*1000:.1f} ms)"
rrg3k, rrg3k_one = results("h1a.json")
bleu3k, meteor3k = (r["mean"] for r in results("h1b.json"))
help_, = results("h2.json")
rrg10, = results("h3a.json")
meteor10, = (r["mean"] for r in results("h3b.json"))
ann, = results("h4.json")
print()
print(f"3,062 pairs, 12 lexical + clinical metrics: rrg {ms(rrg3k)} (target <= 50 ms on 2 cores)")
print(f"  --threads 1: {ms(rrg3k_one)}")
print(f"  NLTK BLEU-1..4 alone:  {bleu3k*1000:.0f} ms  -> rrg is {bleu3k/rrg3k['mean']:.0f}x faster while computing every metric")
print(f"  NLTK METEOR alone:     {meteor3k*1000:.0f} ms  -> rrg is {meteor3k/rrg3k['mean']:.0f}x faster")
print(f"rrg --help: {ms(help_)} (target < 20 ms)")
print(f"METEOR on 10 pairs: rrg {ms(rrg10)} (target < 20 ms), NLTK {meteor10*1000:.0f} ms -> {meteor10/rrg10['mean']:.0f}x")
print(f"rules annotate, 100,000 reports: {ms(ann)} -> {100000/ann['mean']:,.0f} reports/s "
      f"(target >= 500,000/s)")
PY

if ((big)); then
  "$python" "$root/scripts/bench/gen_corpus.py" 1000000 "$work/c1m"
  echo "== 1,000,000 pairs, every lexical metric and the clinical family (rules)"
  /usr/bin/time -f "wall %e s, CPU %U s user + %S s system, peak RSS %M KiB" "$rrg" evaluate \
    --pred "$work/c1m/pred.jsonl" --ref "$work/c1m/ref.jsonl" --labeler rules --quiet
  echo "(targets: < 20 s, < 1.5 GB = 1572864 KiB)"
  echo "== rules annotate, 1,000,000 reports, JSONL out"
  /usr/bin/time -f "wall %e s, CPU %U s user + %S s system, peak RSS %M KiB" "$rrg" annotate \
    --labeler rules --in "$work/c1m/ref.jsonl" --out "$work/labels1m.jsonl" --quiet
  echo "(target: >= 500,000 reports/s, i.e. <= 2 s)"
fi
