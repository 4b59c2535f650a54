#!/usr/bin/env bash
# Benchmark of the image encoder of `rrg generate --encoder` (issue 5): time per image of
# `rrg generate --encoder-only` against the same TorchScript model run by python3-torch in the
# same run, for two models generated here with python3-torch (random weights, traced like a user
# exports a real one):
#   tiny      tests/pipelines/encoder_reference.py's conv net (2 convs, 5 outputs)
#   densenet  a DenseNet-121 (torchvision's layout: blocks 6/12/24/16, growth 32, 1 input
#             channel, 18 outputs like torchxrayvision's densenet121-res224-all), written out
#             here because Debian 12 has no python3-torchvision; ~7M parameters, ~2.9 GFLOPs.
# Inputs: 224x224 grayscale PNGs (N_IMAGES, default 100 for tiny, 20 for densenet).
#
#   scripts/bench_encoder.sh             # 1 libtorch thread on both sides
#   THREADS=2 scripts/bench_encoder.sh
#
# rrg per image = (wall(N studies) - wall(1 study)) / (N - 1): start-up (libtorch ~0.3 s, model
# load) is reported separately. Python per image: cv2.imread + the same preprocessing + forward,
# and forward alone. Needs a built tree, python3-torch and python3-opencv.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rrg="${RRG_BINARY:-$root/build/rrg}"
python=/usr/bin/python3
# The Python side gets the OpenMP wait policy and OpenBLAS kernels rrg gives libtorch.
source "$root/scripts/bench/torch_env.sh"
threads="${THREADS:-1}"
store="$root/build/bench-encoder"
[[ -x "$rrg" ]] || { echo "bench_encoder.sh: build rrg first (scripts/setup.sh)" >&2; exit 1; }
mkdir -p "$store"

# Models and images (once).
"$python" - "$store" <<'PY'
import os, sys
import cv2, numpy as np, torch
store = sys.argv[1]
torch.manual_seed(0)

class DenseLayer(torch.nn.Module):
    def __init__(self, cin, growth, bn_size):
        super().__init__()
        self.norm1 = torch.nn.BatchNorm2d(cin)
        self.conv1 = torch.nn.Conv2d(cin, bn_size * growth, 1, bias=False)
        self.norm2 = torch.nn.BatchNorm2d(bn_size * growth)
        self.conv2 = torch.nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)
    def forward(self, x):
        y = self.conv1(torch.relu(self.norm1(x)))
        y = self.conv2(torch.relu(self.norm2(y)))
        return torch.cat([x, y], 1)

def densenet121(in_channels=1, outputs=18, growth=32, blocks=(6, 12, 24, 16), init=64, bn_size=4):
    layers = [torch.nn.Conv2d(in_channels, init, 7, stride=2, padding=3, bias=False),
              torch.nn.BatchNorm2d(init), torch.nn.ReLU(), torch.nn.MaxPool2d(3, 2, 1)]
    c = init
    for i, n in enumerate(blocks):
        for _ in range(n):
            layers.append(DenseLayer(c, growth, bn_size))
            c += growth
        if i + 1 < len(blocks):
            layers += [torch.nn.BatchNorm2d(c), torch.nn.ReLU(),
                       torch.nn.Conv2d(c, c // 2, 1, bias=False), torch.nn.AvgPool2d(2, 2)]
            c //= 2
    layers += [torch.nn.BatchNorm2d(c), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
               torch.nn.Flatten(), torch.nn.Linear(c, outputs)]
    return torch.nn.Sequential(*layers).eval()

path = os.path.join(store, "densenet121.pt")
if not os.path.exists(path):
    model = densenet121()
    print("densenet121: %.1fM parameters" % (sum(p.numel() for p in model.parameters()) / 1e6))
    torch.jit.save(torch.jit.trace(model, torch.zeros(1, 1, 224, 224)), path)
rng = np.random.default_rng(1)
for i in range(100):
    name = os.path.join(store, "img%03d.png" % i)
    if not os.path.exists(name):
        img = cv2.resize(rng.random((14, 14)), (224, 224), interpolation=cv2.INTER_CUBIC)
        cv2.imwrite(name, (np.clip(img, 0, 1) * 255).astype(np.uint8))
PY
[[ -f "$store/tiny.pt" ]] || "$python" "$root/tests/pipelines/encoder_reference.py" make-model "$store/tiny.pt" --outputs 5
printf 'A\nB\nC\nD\nE\n' > "$store/tiny.txt"
: > "$store/densenet121.txt"
for i in $(seq 1 18); do echo "Observation $i" >> "$store/densenet121.txt"; done

now() { date +%s.%N; }

# rrg: wall time of --encoder-only over the first N images.
rrg_wall() {  # model labels n
  local studies="$store/studies-$3.jsonl" out="$store/out.jsonl"
  : > "$studies"
  for i in $(seq 0 $(($3 - 1))); do printf '{"id": "s%d", "images": ["%s/img%03d.png"]}\n' "$i" "$store" "$i" >> "$studies"; done
  rm -f "$out"
  local t0 t1
  t0=$(now)
  "$rrg" generate --studies "$studies" --encoder "$1" --encoder-labels "$2" --encoder-only \
    --encoder-threads "$threads" --image-threads 1 -o "$out" --log-interval 1000 2>/dev/null
  t1=$(now)
  echo "$t0 $t1" | awk '{printf "%.4f", $2 - $1}'
}

python_per_image() {  # model n -> "end-to-end forward-only" ms per image
  "$python" - "$1" "$2" "$threads" "$store" <<'PY'
import sys, time
import cv2, numpy as np, torch
model_path, n, threads, store = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
torch.set_num_threads(threads)
model = torch.jit.load(model_path).eval()
def prep(path):
    img = cv2.imread(path, cv2.IMREAD_ANYDEPTH | cv2.IMREAD_ANYCOLOR).astype(np.float32)
    y, x = img.shape
    c = min(y, x)
    img = img[y // 2 - c // 2:y // 2 - c // 2 + c, x // 2 - c // 2:x // 2 - c // 2 + c]
    if img.shape != (224, 224):
        img = cv2.resize(img, (224, 224), interpolation=cv2.INTER_AREA)
    return torch.from_numpy(((2 * (img / np.float32(255)) - np.float32(1)) * np.float32(1024))[None, None])
paths = ["%s/img%03d.png" % (store, i) for i in range(n)]
with torch.inference_mode():
    model(prep(paths[0]))  # warm-up (profiling executor)
    model(prep(paths[0]))
    t0 = time.perf_counter()
    for p in paths:
        torch.sigmoid(model(prep(p)))
    t1 = time.perf_counter()
    x = prep(paths[0])
    t2 = time.perf_counter()
    for _ in paths:
        model(x)
    t3 = time.perf_counter()
print("%.2f %.2f" % ((t1 - t0) / n * 1000, (t3 - t2) / n * 1000))
PY
}

echo "threads: $threads   (nproc $(nproc); $(uptime | sed 's/.*load average/load average/'))"
printf '%-10s %8s %12s %14s %16s %18s\n' model images "rrg start-up" "rrg ms/image" "python ms/image" "python fwd ms/img"
for spec in "tiny:100" "densenet121:${N_DENSENET:-20}"; do
  name="${spec%%:*}"; n="${spec##*:}"
  model="$store/$name.pt"; labels="$store/$name.txt"
  one=$(rrg_wall "$model" "$labels" 1)
  many=$(rrg_wall "$model" "$labels" "$n")
  per=$(echo "$one $many $n" | awk '{printf "%.2f", ($2 - $1) / ($3 - 1) * 1000}')
  read -r py_all py_fwd < <(python_per_image "$model" "$n")
  printf '%-10s %8d %11.2fs %14s %16s %18s\n' "$name" "$n" "$one" "$per" "$py_all" "$py_fwd"
done
