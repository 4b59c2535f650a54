#!/usr/bin/env bash
# Throughput and client CPU of `rrg generate` against the loopback OpenAI-compatible server
# (rrg-llm-dev serve, 50 ms per answer), for studies of one MIMIC-CXR-sized image (2544 x 3056,
# 8-bit grey PNG written by this script) and of one small image (512 x 512).
#
#   scripts/bench_generate.sh [N_STUDIES] [CONCURRENCY]     (defaults: 200, 32)
#
# Prints studies/s (wall) and CPU seconds of the rrg process per study (user + sys, from
# /usr/bin/time), which includes reading, resizing, JPEG-encoding and base64-encoding the images.
# Needs a build with tools (build/rrg, build/rrg-llm-dev).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${RRG_BUILD_DIR:-$root/build}"
n="${1:-200}"
concurrency="${2:-32}"
work="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# Grey PNGs with a gradient and noise (zlib + struct: no imaging library needed).
/usr/bin/python3 - "$work" <<'PY'
import random, struct, sys, zlib
def png(path, w, h):
    rnd = random.Random(1)
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        base = [int(40 + 150 * x / w + 40 * y / h) for x in range(w)]
        rows.extend(min(255, max(0, v + rnd.randint(-4, 4))) for v in base)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b""))
png(sys.argv[1] + "/mimic.png", 2544, 3056)
png(sys.argv[1] + "/small.png", 512, 512)
PY

"$build/rrg-llm-dev" serve --latency-ms 50 --no-record --threads 256 > "$work/server.txt" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/server.txt" 2>/dev/null && break; sleep 0.05; done
url="$(sed -n 's/^listening on //p' "$work/server.txt")"

for image in small mimic; do
  : > "$work/studies.jsonl"
  for i in $(seq "$n"); do
    echo "{\"id\": \"$image$i\", \"images\": [\"$work/$image.png\"], \"prompt\": \"study $i\"}" >> "$work/studies.jsonl"
  done
  rm -f "$work/out.jsonl"
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/time.txt" "$build/rrg" generate --studies "$work/studies.jsonl" \
    --base-url "$url" --model bench --no-cache --concurrency "$concurrency" -o "$work/out.jsonl" \
    2> "$work/err.txt"
  end=$(date +%s.%N)
  read -r user sys < "$work/time.txt"
  /usr/bin/python3 -c "
n=$n; wall=$end-$start; cpu=$user+$sys
print(f'$image: {n} studies in {wall:.2f} s = {n/wall:.1f} studies/s; rrg CPU {cpu:.2f} s = {1000*cpu/n:.1f} ms/study')"
done
