#!/usr/bin/env bash
# Benchmark of the RadGraph extractor (issue 15): `rrg annotate --labeler radgraph` against the
# python3-torch loop the `radgraph` package runs (scripts/bench/radgraph_python.py: each report
# alone, batch size 1), in the same run, on N distinct real-length reports
# (scripts/bench/gen_corpus.py references: 3-7 sentences, about 220 characters) and a
# full-size random checkpoint in the real archive layout: a BERT-base encoder (12 layers, hidden
# 768, 12 heads, 3072 feed-forward, bert-base-uncased's 30,522-token vocab.txt from
# models/get_vocab.sh for real word-piece counts, 512 positions) with RadGraph's heads (span
# width 8, width feature 20, feed-forward 2 x 150, spans per word 0.5). Generated once with
# python3-torch into build/bench-radgraph/ (~440 MB).
#
#   scripts/bench_radgraph.sh                  # 1,000 reports, 2 threads (the issue's setting)
#   N_REPORTS=200 THREADS=2 scripts/bench_radgraph.sh
#
# rrg runs twice: fp32 (the default) and --radgraph-int8 (SKIP_INT8=1 skips it).
# Measured per side: reports/s (rrg: the whole process, loading included, with --no-cache;
# Python: the loop only, loading excluded) and peak RSS. Then: how many graphs are identical
# (random weights leave near-ties that fp32 rounding may flip; a trained model has few), and a
# second rrg run answered by the cache. Targets: rrg >= 2x Python's reports/s, peak RSS < 2 GB.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rrg="${RRG_BIN:-$root/build/rrg}"
python=/usr/bin/python3
threads="${THREADS:-2}"
n_reports="${N_REPORTS:-1000}"
batch="${BATCH:-8}"
store="$root/build/bench-radgraph"
model="$store/radgraph-base-random"

[[ -x "$rrg" ]] || { echo "bench_radgraph.sh: build rrg first (scripts/setup.sh)" >&2; exit 1; }
if [[ ! -f "$root/models/vocab.txt" ]]; then
  echo "bench_radgraph.sh: fetching bert-base-uncased's vocab.txt with models/get_vocab.sh"
  "$root/models/get_vocab.sh"
fi
mkdir -p "$store"
if [[ ! -f "$model/model.tar.gz" ]]; then
  echo "bench_radgraph.sh: generating a full-size random RadGraph checkpoint (once)"
  rm -rf "$model.tmp"
  "$python" "$root/tests/labelers/radgraph/radgraph_reference.py" make "$model.tmp" \
    --hidden 768 --layers 12 --heads 12 --intermediate 3072 --width 8 --feature 20 \
    --ff-hidden 150 --ff-layers 2 --max-length 512 --spw 0.5 --seed 15 \
    --vocab-file "$root/models/vocab.txt" --archive
  mv "$model.tmp" "$model"
  # args.json names the folder it was written to.
  "$python" - "$model/args.json" "$model" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); a["out"] = sys.argv[2]; json.dump(a, open(sys.argv[1], "w"))
PY
fi

# The Python loops get the OpenMP wait policy and OpenBLAS kernels rrg gives libtorch.
source "$root/scripts/bench/torch_env.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" "$root/scripts/bench/gen_corpus.py" "$((n_reports * 2))" "$work" --seed 15 >/dev/null
# N distinct references as the reports; their JSON list for the Python side.
"$python" - "$work/ref.jsonl" "$n_reports" "$work/reports.jsonl" "$work/texts.json" <<'PY'
import json, sys
seen, rows = set(), []
for line in open(sys.argv[1]):
    text = json.loads(line)["report"]
    if text not in seen:
        seen.add(text)
        rows.append(text)
rows = rows[: int(sys.argv[2])]
with open(sys.argv[3], "w") as f:
    for i, t in enumerate(rows):
        f.write(json.dumps({"id": "r%d" % i, "report": t}) + "\n")
json.dump(rows, open(sys.argv[4], "w"))
PY
n="$("$python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/texts.json")"
chars="$("$python" -c 'import json,sys; t=json.load(open(sys.argv[1])); print(sum(map(len,t))//len(t))' "$work/texts.json")"
echo "reports: $n distinct, $chars characters on average; threads: $threads; rrg batch size $batch"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"

# seconds and peak RSS (MB) of a command, from GNU time.
timed() {
  local log="$1"
  shift
  /usr/bin/time -f '%e %M' -o "$log" "$@"
}

annotate=("$rrg" annotate --labeler radgraph --radgraph-model "$model/model.tar.gz"
  --radgraph-tokenizer "$model/tokenizer" --radgraph-batch-size "$batch" --threads "$threads"
  --in "$work/reports.jsonl" --quiet)
timed "$work/rrg.time" "${annotate[@]}" --no-cache --out "$work/rrg.jsonl"
read -r rrg_s rrg_kb <"$work/rrg.time"
int8_s=0 int8_kb=0
if [[ "${SKIP_INT8:-0}" != "1" ]]; then
  timed "$work/int8.time" "${annotate[@]}" --radgraph-int8 --no-cache --out "$work/int8.jsonl"
  read -r int8_s int8_kb <"$work/int8.time"
fi

py_json="$(timed "$work/py.time" "$python" "$root/scripts/bench/radgraph_python.py" "$model" \
  "$work/texts.json" "$work/py.json" "$threads")"
read -r py_wall py_kb <"$work/py.time"
py_s="$("$python" -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$py_json")"

timed "$work/cached.time" "${annotate[@]}" --cache "$work/cache.sqlite" --out "$work/fill.jsonl"
timed "$work/cached.time" "${annotate[@]}" --cache "$work/cache.sqlite" --out "$work/again.jsonl"
read -r cached_s _ <"$work/cached.time"

"$python" - "$work" "$n" "$rrg_s" "$rrg_kb" "$py_s" "$py_wall" "$py_kb" "$cached_s" "$int8_s" "$int8_kb" <<'PY'
import json, os, sys
work, n = sys.argv[1], int(sys.argv[2])
rrg_s, rrg_kb, py_s, py_wall, py_kb, cached_s, int8_s, int8_kb = map(float, sys.argv[3:11])
ours = [json.loads(l) for l in open(work + "/rrg.jsonl")]
theirs = json.load(open(work + "/py.json"))
same = sum(1 for a, b in zip(ours, theirs) if a["entities"] == b["entities"])
same_text = sum(1 for a, b in zip(ours, theirs) if a["text"] == b["text"])
cached_same = open(work + "/again.jsonl").read() == open(work + "/fill.jsonl").read()
rrg_rate, py_rate = n / rrg_s, n / py_s
print(f"rrg annotate (whole process) {rrg_s:8.2f} s  {rrg_rate:7.1f} reports/s  peak RSS {rrg_kb / 1024:7.0f} MB")
print(f"python3-torch loop (no load) {py_s:8.2f} s  {py_rate:7.1f} reports/s  peak RSS {py_kb / 1024:7.0f} MB  (process {py_wall:.2f} s)")
print(f"ratio: {rrg_rate / py_rate:.2f}x Python's reports/s (target >= 2x); peak RSS {'<' if rrg_kb < 2 * 1024 * 1024 else '>='} 2 GB")
print(f"identical graphs: {same}/{n} (words identical: {same_text}/{n})")
print(f"cached re-run: {cached_s:.2f} s, output {'identical' if cached_same else 'DIFFERENT'}")
if int8_s > 0:
    quantised = [json.loads(l) for l in open(work + "/int8.jsonl")]
    same8 = sum(1 for a, b in zip(quantised, ours) if a["entities"] == b["entities"])
    print(f"rrg --radgraph-int8          {int8_s:8.2f} s  {n / int8_s:7.1f} reports/s  peak RSS {int8_kb / 1024:7.0f} MB")
    print(f"int8: {n / int8_s / py_rate:.2f}x Python's reports/s, {rrg_s / int8_s:.2f}x fp32; graphs identical to fp32: {same8}/{n}")
PY
