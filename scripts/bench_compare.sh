#!/usr/bin/env bash
# Benchmark of `rrg compare` (issue 11): 3 systems x 3,000 pairs, every lexical metric and the
# clinical family (rules labeler), 10,000 approximate randomization trials + 1,000 bootstrap
# replicates, whole process, wall time and peak memory; next to a Python AR loop over NLTK's
# corpus_bleu alone on the same data (RadEval's procedure, tests/stats/radeval_ar_reference.py),
# run for a few trials, whose per-trial time is compared with rrg's.
#
#   scripts/bench_compare.sh              # N_PAIRS=3000 TRIALS=10000 BOOTSTRAP=1000 PY_TRIALS=3
#
# Targets: rrg under 3 s wall on 2 cores, peak RSS under 500 MB.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rrg="${RRG_BINARY:-$root/build/rrg}"
python=/usr/bin/python3
n="${N_PAIRS:-3000}"
trials="${TRIALS:-10000}"
bootstrap="${BOOTSTRAP:-1000}"
py_trials="${PY_TRIALS:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Three systems of one generated corpus: the generator's predictions for three seeds, paired
# with the same references.
"$python" "$root/scripts/bench/gen_corpus.py" "$n" "$work/a" --seed 1
"$python" "$root/scripts/bench/gen_corpus.py" "$n" "$work/b" --seed 2
"$python" "$root/scripts/bench/gen_corpus.py" "$n" "$work/c" --seed 3
cp "$work/a/ref.jsonl" "$work/ref.jsonl"
# Systems b and c keep their predictions but take a's ids and references.
"$python" - "$work" <<'PY'
import json, sys
w = sys.argv[1]
ref = [json.loads(l) for l in open(f"{w}/ref.jsonl")]
for s in "bc":
    preds = [json.loads(l) for l in open(f"{w}/{s}/pred.jsonl")]
    with open(f"{w}/{s}.jsonl", "w") as f:
        for r, p in zip(ref, preds):
            f.write(json.dumps({"id": r["id"], "report": p["report"]}) + "\n")
PY

metrics="lexical,clinical"
echo "== rrg compare: 3 systems x $n pairs, $metrics (rules), $trials AR trials, $bootstrap bootstrap replicates"
cmd=("$rrg" compare --ref "$work/ref.jsonl" --sys a="$work/a/pred.jsonl" --sys b="$work/b.jsonl"
     --sys c="$work/c.jsonl" --metrics "$metrics" --labeler rules --ar-trials "$trials"
     --bootstrap "$bootstrap" -q --json "$work/out.json")
/usr/bin/time -f "%e %M" -o "$work/time.txt" "${cmd[@]}"
read -r wall rss_kib < "$work/time.txt"

echo "== Python: RadEval's AR loop over NLTK corpus_bleu (BLEU-4 only), $py_trials trials"
"$python" - "$work" "$py_trials" <<'PY' > "$work/request.json"
import json, sys
w, trials = sys.argv[1], int(sys.argv[2])
ref = [json.loads(l)["report"] for l in open(f"{w}/ref.jsonl")]
systems = [{"name": s, "outputs": [json.loads(l)["report"] for l in open(p)]}
           for s, p in [("a", f"{w}/a/pred.jsonl"), ("b", f"{w}/b.jsonl"), ("c", f"{w}/c.jsonl")]]
print(json.dumps({"references": ref, "systems": systems, "metrics": ["nltk-bleu-4"],
                  "trials": trials, "seed": 12345, "bootstrap": 0}))
PY
py_start=$(date +%s.%N)
"$python" "$root/tests/stats/radeval_ar_reference.py" "$work/request.json" > /dev/null
py_end=$(date +%s.%N)

"$python" - "$work" "$wall" "$rss_kib" "$py_start" "$py_end" "$py_trials" "$trials" <<'PY'
import json, sys
w, wall, rss, start, end, py_trials, trials = sys.argv[1:]
wall, rss, start, end = float(wall), int(rss), float(start), float(end)
py_trials, trials = int(py_trials), int(trials)
doc = json.load(open(f"{w}/out.json"))
metrics = len(next(iter(doc["systems"].values())))
tested = sum(1 for m in doc["signatures"].values() if m["ar"])
jobs = tested * (len(doc["systems"]) - 1)
# The Python run: 2 comparisons x py_trials trials of one metric (plus the 3 baseline scores).
py_per_trial = (end - start) / (2 * py_trials + 3)
rrg_per_trial = wall / (jobs * trials)
print()
print(f"rrg: {wall:.2f} s wall (target < 3 s), peak RSS {rss / 1024:.0f} MB (target < 500 MB)")
print(f"  {metrics} metrics, {tested} tested, {jobs} AR jobs x {trials} trials + bootstrap")
print(f"  per AR trial of one metric (whole-process time / trials): {rrg_per_trial * 1e6:.2f} us")
print(f"Python (NLTK corpus_bleu, RadEval's loop): {py_per_trial:.2f} s per trial of BLEU-4")
print(f"ratio per trial: {py_per_trial / rrg_per_trial:,.0f}x")
print(f"at that rate RadEval's loop would need {py_per_trial * jobs * trials / 3600:,.0f} h for rrg's work")
PY
