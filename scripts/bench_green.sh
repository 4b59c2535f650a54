#!/usr/bin/env bash
# Benchmark of the GREEN metric's request path (issue 14, "Tests and acceptance"): the scripted
# loopback server answers every GREEN request after 200 ms (its toy judge, in GREEN's format);
# the GREEN library (through `rrg-llm-dev green`, until `rrg evaluate --metrics GREEN` exists)
# scores 6,400 distinct pairs with 64 requests in flight, without the cache. Each request carries
# GREEN's full prompt and each answer goes through GREEN's parser. Ideal throughput is
# 64 / 0.200 s = 320 requests/s. Targets: >= 90% of ideal (288/s) and the client's CPU per request
# (user + system time of the client process, from getrusage) reported.
#
#   scripts/bench_green.sh                     # defaults: 6400 pairs, concurrency 64, 200 ms
#   PAIRS=1280 CONCURRENCY=32 LATENCY_MS=100 scripts/bench_green.sh
#   CACHE=1 scripts/bench_green.sh             # also time a second run answered by the cache
#
# Builds rrg-llm-dev in build/ (Release) when missing. Prints the client's JSON report and a
# verdict. The server and the client are separate processes, so the CPU figure is the client's.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${RRG_BUILD_DIR:-$root/build}"
pairs="${PAIRS:-6400}"
concurrency="${CONCURRENCY:-64}"
latency_ms="${LATENCY_MS:-200}"

if [[ ! -x "$build_dir/rrg-llm-dev" ]]; then
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build_dir" --target rrg-llm-dev -j 2
fi

work="$(mktemp -d)"
"$build_dir/rrg-llm-dev" serve --latency-ms "$latency_ms" --threads $((concurrency * 2)) --no-record \
  >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/server.log" && break
  sleep 0.05
done
url="$(sed -n 's/^listening on //p' "$work/server.log")"
[[ -n "$url" ]] || { echo "bench_green.sh: the test server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

run() {
  "$build_dir/rrg-llm-dev" green --synthetic "$pairs" --base-url "$url" \
    --model StanfordAIMI/GREEN-radllama2-7b --concurrency "$concurrency" "$@" 2>"$work/client.log"
}

# A short warm-up opens the connections, then the measured run.
"$build_dir/rrg-llm-dev" green --synthetic "$concurrency" --base-url "$url" --model warmup \
  --concurrency "$concurrency" --no-cache >/dev/null 2>&1
report="$(run --no-cache)"
echo "$report"

/usr/bin/python3 - "$report" "$concurrency" "$latency_ms" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); c = int(sys.argv[2]); lat = float(sys.argv[3]) / 1000
ideal = c / lat
share = r["requests_per_second"] / ideal
print(f"throughput {r['requests_per_second']:.1f} req/s = {100 * share:.1f}% of ideal {ideal:.0f} req/s "
      f"(target >= 90%): {'ok' if share >= 0.9 else 'BELOW TARGET'}")
print(f"client CPU {r['client_cpu_ms_per_request']:.3f} ms/request; {r['excluded']} excluded")
PY

if [[ -n "${CACHE:-}" ]]; then
  run --cache "$work/cache.sqlite" >/dev/null
  cached="$(run --cache "$work/cache.sqlite")"
  /usr/bin/python3 - "$cached" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(f"cached re-run: {r['requests']} requests, {r['from_cache']} from cache, "
      f"{r['wall_seconds']:.3f} s wall, {r['client_cpu_seconds']:.3f} s CPU")
PY
fi
