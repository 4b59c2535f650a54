#!/usr/bin/env bash
# Benchmark of BERTScore (issue 12): rrg fp32 and int8 against a python3-torch pipeline doing the
# same work the way bert_score 0.3.13 does it (scripts/bench/bertscore_python.py: dedup, sort by
# length, batches of 64, padded forward through layers 0..17, padded greedy matching), in the same
# run, on N distinct prediction/reference pairs of real-length reports written by
# scripts/bench/gen_bertscore_reports.py and a roberta-large-sized model folder with random
# weights (24 layers, hidden 1024, 16 heads, 4096 feed-forward, 50,265 word embeddings, 514
# positions; generated once with python3-torch into build/bench-bertscore/, ~1.4 GB) and GPT-2's
# BPE files (models/get_gpt2_bpe.sh) with RoBERTa's special tokens. Layer 17 (roberta-large's
# bert_score default), no idf, no rescaling.
#
#   scripts/bench_bertscore.sh                  # 2,000 pairs, 2 threads (the issue's setting)
#   N_PAIRS=300 THREADS=2 scripts/bench_bertscore.sh
#
# rrg runs through the developer program build/rrg-bertscore-dev (the library the CLI's
# `--metrics BERTScore` will call). Measured per side: scoring time (everything after the model
# is loaded: tokenisation, forward passes, matching), reports/s = pairs / that time, whole-process
# wall time and peak RSS; then a second rrg run over the same files with the cache the first
# fp32 run filled. Checks: fp32 >= 2x and int8 >= 3x Python's reports/s, int8 F1 within 0.005
# of fp32, peak RSS < 3 GB, the cached run < 1 s.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dev="${RRG_BERTSCORE_DEV:-$root/build/rrg-bertscore-dev}"
python=/usr/bin/python3
threads="${THREADS:-2}"
n_pairs="${N_PAIRS:-2000}"
store="$root/build/bench-bertscore"
model="$store/roberta-large-random"
gpt2="$root/models/gpt2"

[[ -x "$dev" ]] || { echo "bench_bertscore.sh: build rrg first (ninja -C build rrg-bertscore-dev rrg_torch)" >&2; exit 1; }
if [[ ! -f "$gpt2/vocab.json" || ! -f "$gpt2/merges.txt" ]]; then
  echo "bench_bertscore.sh: fetching GPT-2's BPE files with models/get_gpt2_bpe.sh"
  "$root/models/get_gpt2_bpe.sh" "$gpt2"
fi
mkdir -p "$store"
if [[ ! -f "$model/model.safetensors" ]]; then
  echo "bench_bertscore.sh: generating a roberta-large-sized random model folder (once)"
  rm -rf "$model.tmp"
  "$python" "$root/tests/torch_module/hf_encoder_reference.py" make-folder "$model.tmp" \
    --arch roberta --layers 24 --hidden 1024 --heads 16 --intermediate 4096 \
    --vocab-size 50265 --max-positions 514 --seed 12
  # RoBERTa's tokenizer files: GPT-2's merges; its tokens after <s> <pad> </s> <unk>.
  "$python" - "$gpt2/vocab.json" "$model.tmp/vocab.json" <<'PY'
import json, sys
gpt2 = json.load(open(sys.argv[1], encoding="utf-8"))
vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
vocab.update({t: i + 4 for t, i in gpt2.items()})
json.dump(vocab, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
  cp "$gpt2/merges.txt" "$model.tmp/merges.txt"
  echo '{"model_max_length": 512}' > "$model.tmp/tokenizer_config.json"
  mv "$model.tmp" "$model"
fi

# The Python loops get the OpenMP wait policy and OpenBLAS kernels rrg gives libtorch.
source "$root/scripts/bench/torch_env.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" "$root/scripts/bench/gen_bertscore_reports.py" "$n_pairs" "$work"

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $threads threads; $n_pairs pairs"
echo "== Python: bert_score's pipeline (python3-torch $("$python" -c 'import torch; print(torch.__version__)'))"
"$python" "$root/scripts/bench/bertscore_python.py" "$model" "$work/pred.jsonl" "$work/ref.jsonl" \
  17 "$threads" "$work/python.json"

echo "== rrg (fp32 with a fresh cache, int8 without cache, then fp32 again on the cache)"
"$python" - "$dev" "$model" "$work" "$threads" "$n_pairs" <<'PY'
import json, os, subprocess, sys, time

dev, model, work, threads, n = sys.argv[1:6]
n = int(n)


def run(name, extra):
    out = f"{work}/{name}.json"
    cmd = [dev, "--model", model, "--model-name", "roberta-large", "--pred", f"{work}/pred.jsonl",
           "--ref", f"{work}/ref.jsonl", "--threads", threads, "--out", out] + extra
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read()
    if status != 0:
        sys.exit(f"{name}: rrg-bertscore-dev failed:\n{err}")
    r = json.load(open(out))
    r["wall"], r["rss_mb"], r["log"] = wall, usage.ru_maxrss / 1024, err
    return r


cache = f"{work}/cache.sqlite"
fp32 = run("fp32", ["--cache", cache])
int8 = run("int8", ["--int8", "--no-cache"])
cached = run("cached", ["--cache", cache])
py = json.load(open(f"{work}/python.json"))

py_rate = n / py["seconds"]
print(f"{'':16s}{'reports/s':>10s}{'x python':>10s}{'scoring':>10s}{'forward':>10s}"
      f"{'model load':>12s}{'wall':>8s}{'peak RSS':>10s}")
print(f"{'python':16s}{py_rate:10.2f}{1:10.2f}{py['seconds']:9.1f}s{py['model_seconds']:9.1f}s"
      f"{py['load_seconds']:11.1f}s")
for name, r in (("rrg fp32", fp32), ("rrg int8", int8), ("rrg cached", cached)):
    st = r["stats"]
    scoring = r["wall"] - st["model_load_seconds"]
    print(f"{name:16s}{n / scoring:10.2f}{n / scoring / py_rate:10.2f}{scoring:9.1f}s"
          f"{st['model_seconds']:9.1f}s{st['model_load_seconds']:11.1f}s{r['wall']:7.2f}s"
          f"{r['rss_mb']:8.0f} MB")
d_py = max(abs(a - b) for a, b in zip(fp32["F1"], py["F"]))
d_int8 = max(abs(a - b) for a, b in zip(fp32["F1"], int8["F1"]))
print(f"F1: max |rrg fp32 - python| = {d_py:.2e}; max |int8 - fp32| = {d_int8:.4f}; "
      f"corpus F1 fp32 {fp32['corpus']['BERTScore_F1']:.6f}, int8 {int8['corpus']['BERTScore_F1']:.6f}, "
      f"python {sum(py['F']) / n:.6f}")
print(f"cached run: {cached['stats']['pairs_from_cache']} of {cached['stats']['pairs']} pairs "
      f"from cache, {cached['stats']['computed']} texts computed")
print("(scoring = wall time minus model load for rrg; tokenise + forward + match for Python)")
targets = [
    ("fp32 >= 2x python reports/s", n / (fp32["wall"] - fp32["stats"]["model_load_seconds"]) >= 2 * py_rate),
    ("int8 >= 3x python reports/s", n / (int8["wall"] - int8["stats"]["model_load_seconds"]) >= 3 * py_rate),
    ("int8 F1 within 0.005 of fp32", d_int8 <= 0.005),
    ("peak RSS < 3 GB", max(fp32["rss_mb"], int8["rss_mb"]) < 3072),
    ("fully cached second run < 1 s", cached["wall"] < 1.0),
]
for text, ok in targets:
    print(f"  [{'ok' if ok else 'MISSED'}] {text}")
PY
