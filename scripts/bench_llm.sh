#!/usr/bin/env bash
# Benchmark of the LLM client (issue 4, "Speed"): the scripted loopback server answers every
# request after 50 ms; the client sends 12,800 requests with 64 in flight. Ideal throughput is
# 64 / 0.050 s = 1,280 requests/s. Targets: >= 90% of ideal (1,152/s) and < 0.5 ms of client CPU
# per request (user + system time of the client process, from getrusage).
#
#   scripts/bench_llm.sh                 # defaults: 12800 requests, concurrency 64, 50 ms
#   REQUESTS=3200 CONCURRENCY=32 LATENCY_MS=20 scripts/bench_llm.sh
#
# Builds rrg-llm-dev in build/ (Release) when missing. Prints the client's JSON report and a
# verdict. The server and the client are separate processes, so the CPU figure is the client's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RRG_BUILD_DIR:-$root/build}"
requests="${REQUESTS:-12800}"
concurrency="${CONCURRENCY:-64}"
latency_ms="${LATENCY_MS:-50}"

if [[ ! -x "$build_dir/rrg-llm-dev" ]]; then
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build_dir" --target rrg-llm-dev -j 2
fi

log="$(mktemp)"
"$build_dir/rrg-llm-dev" serve --latency-ms "$latency_ms" --threads $((concurrency * 2)) --no-record \
  >"$log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$log" && break
  sleep 0.05
done
url="$(sed -n 's/^listening on //p' "$log")"
[[ -n "$url" ]] || { echo "bench_llm.sh: the test server did not start:" >&2; cat "$log" >&2; exit 1; }

# A short warm-up opens the connections, then the measured run.
"$build_dir/rrg-llm-dev" bench --base-url "$url" --requests "$concurrency" --concurrency "$concurrency" >/dev/null
report="$("$build_dir/rrg-llm-dev" bench --base-url "$url" --requests "$requests" --concurrency "$concurrency")"
echo "$report"

/usr/bin/python3 - "$report" "$concurrency" "$latency_ms" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); c = int(sys.argv[2]); lat = float(sys.argv[3]) / 1000
ideal = c / lat
share = r["requests_per_second"] / ideal
cpu = r["client_cpu_ms_per_request"]
print(f"throughput {r['requests_per_second']:.0f} req/s = {100 * share:.1f}% of ideal {ideal:.0f} req/s "
      f"(target >= 90%): {'ok' if share >= 0.9 else 'BELOW TARGET'}")
print(f"client CPU {cpu:.3f} ms/request (target < 0.5 ms): {'ok' if cpu < 0.5 else 'ABOVE TARGET'}")
PY
