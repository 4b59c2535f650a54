#!/usr/bin/env bash
# Throughput of `rrg serve`'s POST /v1/score (issue 13 part 2; a benchmark, not a test): 16
# concurrent loopback clients (keep-alive) send 20-pair batches of real-length reports
# (scripts/bench/gen_corpus.py: 3-7 sentences, about 220 characters per reference) scored with
# BLEU-1..4, ROUGE-L, METEOR (the seed family) and the clinical family with the rules labeler.
# Next to it, in the same run, the same batches from the same 16 clients as a fresh
# `rrg evaluate` process per batch. Prints requests/s, p50/p99 latency and ms per sample (wall
# time / samples scored) for both, and the ratio.
#
#   scripts/bench_serve.sh [SECONDS]     # each mode runs SECONDS (default 10)
#
# Targets: p99 under 5 ms per 20-pair batch; at least 20x the process-per-call rate. Numbers
# are only meaningful on an otherwise idle machine (say so next to them when it is not).
# Needs a built tree (targets rrg and bench-serve).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${RRG_BUILD_DIR:-$root/build}"
rrg="$build/rrg"
bench="$build/bench-serve"
seconds="${1:-10}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -TERM "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/python3 "$root/scripts/bench/gen_corpus.py" 2000 "$work/corpus" > /dev/null
export RRG_CONFIG=/dev/null
"$rrg" serve --port 0 --labeler rules --http-threads 16 -q > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
# (The whole line, not just its start: the URL is read once it is complete. The file may not
# exist yet: sed's failure must not end the script under set -e.)
url=""
for _ in $(seq 1 300); do
  url="$(sed -n 's/.*listening on \(http:[^ ]*[0-9]\)\/$/\1/p' "$work/serve.out" 2>/dev/null || true)"
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || { echo "bench_serve.sh: rrg serve did not start: $(cat "$work/serve.err")"; exit 1; }

echo "== rrg serve: POST /v1/score, 16 clients, 20-pair batches, ${seconds}s ($(nproc) cores)"
"$bench" http "$url" "$work/corpus/pred.jsonl" "$work/corpus/ref.jsonl" \
  --clients 16 --batch 20 --seconds "$seconds" | tee "$work/http.json"
echo "== a fresh rrg evaluate process per batch, 16 clients, same batches, ${seconds}s"
"$bench" process "$rrg" "$work/corpus/pred.jsonl" "$work/corpus/ref.jsonl" \
  --clients 16 --batch 20 --seconds "$seconds" | tee "$work/process.json"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
/usr/bin/python3 - "$work/http.json" "$work/process.json" "$status" <<'PY'
import json, sys
http, process = (json.load(open(p)) for p in sys.argv[1:3])
status = int(sys.argv[3])
def line(name, r):
    return (f"{name:<26} {r['requests_per_s']:9.1f} req/s  p50 {r['p50_ms']:8.2f} ms  "
            f"p99 {r['p99_ms']:8.2f} ms  {r['ms_per_sample']:.3f} ms/sample  "
            f"({r['requests']} requests, {r['failures']} failed)")
print()
print(line("rrg serve /v1/score", http))
print(line("rrg evaluate per batch", process))
print(f"ratio: {http['requests_per_s'] / process['requests_per_s']:.1f}x the process-per-call "
      f"rate (target >= 20x); p99 {http['p99_ms']:.2f} ms (target < 5 ms)")
print(f"rrg serve exit status after SIGTERM: {status}")
PY
