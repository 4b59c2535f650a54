#!/usr/bin/env bash
# Benchmark of the chexbert labeler (issue 6): rrg fp32 and int8 against the original Python
# CheXbert loop, in the same run, on 2,000 real IU X-Ray impressions read at run time from
# ../shared/labels/iu_chexbert_dev.jsonl (never copied) and a full-size bert-base checkpoint with
# random weights and CheXbert's layout (generated once with python3-torch, optimizer state
# included like the published chexbert.pth, kept in build/bench-chexbert/).
#
#   scripts/bench_chexbert.sh            # 2 threads (the issue's setting)
#   THREADS=1 scripts/bench_chexbert.sh
#
# Measures: the Python loop as CheXbert runs it (batch 18, padded in input order) and sorted by
# length; `rrg annotate --labeler chexbert` in fp32 and int8 (whole process: wall time, peak RSS,
# and the labeller's own model-load and forward-pass times); label agreement int8 vs fp32 and
# rrg fp32 vs Python. Needs a built tree (scripts/setup.sh), python3-torch, and the
# bert-base-uncased vocab.txt (models/get_vocab.sh; $RRG_BERT_VOCAB overrides).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rrg="${RRG_BINARY:-$root/build/rrg}"
python=/usr/bin/python3
threads="${THREADS:-2}"
n_reports="${N_REPORTS:-2000}"
shared="${RRG_SHARED_DIR:-$root/../shared}"
source_file="$shared/labels/iu_chexbert_dev.jsonl"
vocab="${RRG_BERT_VOCAB:-$root/models/vocab.txt}"
store="$root/build/bench-chexbert"
checkpoint="$store/random-bert-base-chexbert.pth"

[[ -x "$rrg" ]] || { echo "bench_chexbert.sh: build rrg first (scripts/setup.sh)" >&2; exit 1; }
[[ -f "$source_file" ]] || { echo "bench_chexbert.sh: $source_file not found (set RRG_SHARED_DIR)" >&2; exit 1; }
if [[ ! -f "$vocab" ]]; then
  echo "bench_chexbert.sh: fetching vocab.txt with models/get_vocab.sh"
  "$root/models/get_vocab.sh" "$vocab"
fi
mkdir -p "$store"
if [[ ! -f "$checkpoint" ]]; then
  echo "bench_chexbert.sh: generating a full-size random CheXbert checkpoint (once)"
  "$python" "$root/tests/labelers/chexbert/chexbert_reference.py" make-checkpoint "$checkpoint.tmp" \
    --layers 12 --hidden 768 --heads 12 --intermediate 3072 --vocab-size 30522 --std 0.02 \
    --seed 6 --with-optimizer
  mv "$checkpoint.tmp" "$checkpoint"
fi

# rrg sets OMP_WAIT_POLICY=PASSIVE for libtorch unless the user chose a policy (see
# src/core/torch_module.cpp); the Python loops run with the same policy, so both sides wait the
# same way (on a busy machine, spinning threads slow both down a lot).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" - "$source_file" "$n_reports" "$work" <<'PY'
import json, sys
src, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [json.loads(line) for line in open(src, encoding="utf-8")][:n]
with open(f"{work}/reports.jsonl", "w") as a, open(f"{work}/reports.txt", "w") as b:
    for r in rows:
        a.write(json.dumps({"id": r["id"], "report": r["report"]}) + "\n")
        b.write(json.dumps(r["report"]) + "\n")
PY

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $threads threads; OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
echo "== Python: CheXbert's loop (python3-torch $("$python" -c 'import torch; print(torch.__version__)'))"
"$python" "$root/scripts/bench/chexbert_python_loop.py" "$checkpoint" "$vocab" \
  "$work/reports.txt" "$threads" "$work/python.json"

echo "== rrg annotate --labeler chexbert (fp32, then int8)"
"$python" - "$rrg" "$checkpoint" "$vocab" "$work" "$threads" <<'PY'
import json, os, re, subprocess, sys, time

rrg, checkpoint, vocab, work, threads = sys.argv[1:6]
OBS = ["Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion", "Edema",
       "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion",
       "Pleural Other", "Fracture", "Support Devices", "No Finding"]


def run(name, extra):
    out = f"{work}/{name}.jsonl"
    cmd = [rrg, "annotate", "--labeler", "chexbert", "--chexbert-checkpoint", checkpoint,
           "--vocab", vocab, "--chexbert-threads", threads, "--no-cache",
           "--in", f"{work}/reports.jsonl", "--out", out] + extra
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read()
    if status != 0:
        sys.exit(f"{name}: rrg failed:\n{err}")
    m = re.search(r"(\d+) distinct texts, (\d+) from cache, (\d+) computed in (\d+) batches "
                  r"\(([\d.]+) s; model loaded in ([\d.]+) s\)", err)
    labels = [json.loads(line)["labels"] for line in open(out)]
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "distinct": int(m.group(1)),
            "batches": int(m.group(4)), "model_s": float(m.group(5)),
            "load_s": float(m.group(6)), "labels": [[l[o] for o in OBS] for l in labels]}


fp32 = run("fp32", [])
int8 = run("int8", ["--chexbert-int8"])
py = json.load(open(f"{work}/python.json"))
n = len(fp32["labels"])
orig = py["original"]["reports_per_s"]


def agree(a, b):
    cells = sum(1 for x, y in zip(a, b) for u, v in zip(x, y) if u == v)
    return cells / (len(a) * 14)


print(f"{n} reports, {fp32['distinct']} distinct texts after CheXbert's preprocessing")
print(f"{'':22s}{'reports/s':>10s}{'x original':>12s}{'tokens/s':>10s}{'model load':>12s}"
      f"{'wall':>8s}{'peak RSS':>10s}")
for name in ("original", "sorted"):
    rate = py[name]["reports_per_s"]
    print(f"{'python ' + name + ' loop':22s}{rate:10.2f}{rate / orig:12.2f}"
          f"{py['tokens'] / py[name]['seconds']:10.0f}")
for name, r in (("rrg fp32", fp32), ("rrg int8", int8)):
    rate = n / r["model_s"]
    print(f"{name:22s}{rate:10.2f}{rate / orig:12.2f}{py['distinct_tokens'] / r['model_s']:10.0f}"
          f"{r['load_s']:11.2f}s{r['wall']:7.1f}s{r['rss_mb']:8.0f} MB")
print(f"label agreement: rrg fp32 vs python {100 * agree(fp32['labels'], py['labels']):.3f}% "
      f"of cells; rrg int8 vs rrg fp32 {100 * agree(int8['labels'], fp32['labels']):.3f}%")
print("(reports/s = reports / forward-pass time of the labelling loop; rrg labels each distinct "
      "text once, the Python loop every report; tokens/s = real tokens run / that time)")
targets = [
    ("fp32 >= 2.7x the original loop", n / fp32["model_s"] >= 2.7 * orig),
    ("fp32 peak RSS < 1.5 GB", fp32["rss_mb"] < 1536),
    ("int8 >= 4x the original loop", n / int8["model_s"] >= 4 * orig),
    ("int8 labels agree with fp32 on >= 99.5% of cells", agree(int8["labels"], fp32["labels"]) >= 0.995),
    ("start-up (weights loaded) < 1.5 s", fp32["load_s"] < 1.5),
]
for text, ok in targets:
    print(f"  [{'ok' if ok else 'MISSED'}] {text}")
PY
