#!/usr/bin/python3
"""Python reference for rrg's image encoder (`rrg generate --encoder`), run with Debian's
python3-torch 1.13 and python3-opencv 4.6 (/usr/bin/python3) at test time.

It builds tiny TorchScript classifiers the way a user exports a real one (torch.jit.trace +
torch.jit.save), writes test images with OpenCV, and computes the probabilities PyTorch gives for
an image file under the preprocessing convention of rrg/image/encoder_input.h and
rrg/pipelines/image_encoder.h, implemented here independently in numpy/OpenCV:

  read (cv2 IMREAD_ANYDEPTH | IMREAD_ANYCOLOR) -> 16-bit to 8-bit min/max (round half up)
  -> float32 mean of the channels (torchxrayvision: img.mean(2)) -> centre crop
  (torchxrayvision XRayCenterCrop) or none -> cv2.resize INTER_AREA to size x size
  (torchxrayvision XRayResizer(engine="cv2")) -> normalise (xrv: (2 * (p / 255) - 1) * 1024,
  imagenet, unit) -> repeat to C channels -> model -> sigmoid (or none).

Subcommands:
  make-model OUT --outputs K [--channels C] [--seed S] [--input-scale F] [--sigmoid] [--tuple]
                                  [--state-dict]
      a conv -> relu -> conv -> relu -> global average pool -> linear net; --input-scale
      multiplies the input first (1/1024 keeps xrv-range logits moderate), --sigmoid ends with a
      sigmoid (a model that outputs probabilities), --tuple returns (scores, features),
      --state-dict writes a torch.save state dict instead of TorchScript.
  make-images DIR   writes the test images (names printed one per line).
  reference MODEL   reads JSON lines {"image", "size", "square", "normalize", "channels",
                    "activation"} on stdin; writes {"probabilities": [...]} per line.
"""
import argparse
import json
import sys

import cv2
import numpy as np
import torch

IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


class TinyClassifier(torch.nn.Module):
    def __init__(self, channels, outputs, input_scale, sigmoid, tuple_output):
        super().__init__()
        self.input_scale = input_scale
        self.conv1 = torch.nn.Conv2d(channels, 8, 3, stride=2, padding=1)
        self.conv2 = torch.nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.pool = torch.nn.AdaptiveAvgPool2d(1)
        self.head = torch.nn.Linear(16, outputs)
        self.sigmoid = sigmoid
        self.tuple_output = tuple_output

    def forward(self, x):
        x = x * self.input_scale
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        features = torch.flatten(self.pool(x), 1)
        scores = self.head(features)
        if self.sigmoid:
            scores = torch.sigmoid(scores)
        if self.tuple_output:
            return scores, features
        return scores


def make_model(args):
    torch.manual_seed(args.seed)
    model = TinyClassifier(args.channels, args.outputs, args.input_scale, args.sigmoid,
                           args.tuple).eval()
    with torch.no_grad():
        # Spread the scores so that some observations land above 0.5 and some below.
        model.head.weight.mul_(40.0)
    if args.state_dict:
        torch.save(model.state_dict(), args.out)  # not TorchScript: rrg must refuse it clearly
        return
    traced = torch.jit.trace(model, torch.zeros(1, args.channels, 32, 32))
    torch.jit.save(traced, args.out)


def smooth_image(rng, height, width, channels, maxval):
    """Random blobs plus a gradient: varied, non-periodic content."""
    small = rng.random((max(2, height // 16), max(2, width // 16), channels))
    big = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    if big.ndim == 2:
        big = big[:, :, None]
    ramp = np.linspace(0, 0.5, width)[None, :, None]
    noise = rng.random((height, width, channels)) * 0.2
    img = np.clip((big + ramp + noise) / 1.7, 0, 1) * maxval
    img = img.round().astype(np.uint16 if maxval > 255 else np.uint8)
    return img[:, :, 0] if channels == 1 else img


def make_images(args):
    rng = np.random.default_rng(5)
    images = [
        ("wide_gray.png", smooth_image(rng, 240, 300, 1, 255)),   # crop + non-integer shrink
        ("tall_rgb.jpg", smooth_image(rng, 261, 200, 3, 255)),    # colour JPEG, odd height
        ("deep16.png", smooth_image(rng, 180, 190, 1, 4095)),     # 16-bit, min/max mapping
        ("small.png", smooth_image(rng, 80, 100, 1, 255)),        # enlarged
        ("exact.png", smooth_image(rng, 224, 224, 1, 255)),       # no resize
        ("half.png", smooth_image(rng, 448, 500, 1, 255)),        # integer shrink after crop
    ]
    for name, img in images:
        params = [cv2.IMWRITE_JPEG_QUALITY, 90] if name.endswith(".jpg") else []
        if not cv2.imwrite(f"{args.dir}/{name}", img, params):
            sys.exit(f"cannot write {name}")
        print(name)


def to_8bit(img):
    if img.dtype == np.uint8:
        return img
    low, high = int(img.min()), int(img.max())
    if high <= low:
        low, high = 0, 65535
    v = img.astype(np.int64)
    out = (2 * (v - low) * 255 + (high - low)) // (2 * (high - low))
    out = np.where(v <= low, 0, np.where(v >= high, 255, out))
    return out.astype(np.uint8)


def model_input(request):
    img = cv2.imread(request["image"], cv2.IMREAD_ANYDEPTH | cv2.IMREAD_ANYCOLOR)
    if img is None:
        sys.exit(f"cannot read {request['image']}")
    img = to_8bit(img).astype(np.float32)
    if img.ndim == 3:
        img = img.mean(2)
    size = request.get("size", 224)
    if request.get("square", "crop") == "crop":
        y, x = img.shape
        crop = min(y, x)
        startx = x // 2 - crop // 2
        starty = y // 2 - crop // 2
        img = img[starty:starty + crop, startx:startx + crop]
    if img.shape != (size, size):
        img = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)
    normalize = request.get("normalize", "xrv")
    channels = request.get("channels", 1)
    planes = []
    for c in range(channels):
        unit = img / np.float32(255)
        if normalize == "xrv":
            plane = (2 * unit - np.float32(1)) * np.float32(1024)
        elif normalize == "imagenet":
            mean = IMAGENET_MEAN[c] if channels == 3 else np.float32(0.449)
            std = IMAGENET_STD[c] if channels == 3 else np.float32(0.226)
            plane = (unit - mean) / std
        else:
            plane = unit
        planes.append(plane.astype(np.float32))
    return torch.from_numpy(np.stack(planes)[None])


def reference(args):
    model = torch.jit.load(args.model).eval()
    for line in sys.stdin:
        request = json.loads(line)
        with torch.no_grad():
            out = model(model_input(request))
        if isinstance(out, tuple):
            out = out[0]
        if request.get("activation", "sigmoid") == "sigmoid":
            out = torch.sigmoid(out)
        print(json.dumps({"probabilities": out[0].tolist()}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("make-model")
    p.add_argument("out")
    p.add_argument("--outputs", type=int, required=True)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--input-scale", type=float, default=1.0 / 1024)
    p.add_argument("--sigmoid", action="store_true")
    p.add_argument("--tuple", action="store_true")
    p.add_argument("--state-dict", action="store_true")
    p = sub.add_parser("make-images")
    p.add_argument("dir")
    p = sub.add_parser("reference")
    p.add_argument("model")
    args = parser.parse_args()
    torch.set_num_threads(1)
    {"make-model": make_model, "make-images": make_images, "reference": reference}[args.command](args)


if __name__ == "__main__":
    main()
