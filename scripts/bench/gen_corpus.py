#!/usr/bin/env python3
"""Writes a synthetic corpus of chest X-ray report pairs for benchmarks.

    gen_corpus.py N OUT_DIR [--seed S] [--sentences MIN-MAX] [--impressions]

Creates OUT_DIR/pred.jsonl and OUT_DIR/ref.jsonl with N pairs. Reports are assembled from
sentence templates written for rrg (normal findings, effusions, cardiomegaly, devices,
negations, uncertainty), with random variation so n-gram statistics look like real corpora;
predictions share about half of their sentences with the reference. References have 3-7
sentences (about 220 characters) unless --sentences says otherwise (8-16 gives about 500, the
length of a full MIMIC-CXR findings section). --impressions writes impression-length reports
instead (1-2 sentences, about 60 characters).
"""
import argparse
import json
import os
import random

SIDES = ["left", "right", "bilateral"]
SIZES = ["small", "moderate", "large", "trace", "tiny"]
LOBES = ["upper lobe", "lower lobe", "middle lobe", "lingula", "base", "apex"]
TEMPLATES = [
    "the heart size is normal .",
    "the heart is mildly enlarged .",
    "cardiomegaly is {stable} .",
    "the mediastinal and hilar contours are within normal limits .",
    "the lungs are clear without focal consolidation .",
    "no pleural effusion or pneumothorax .",
    "there is a {size} {side} pleural effusion .",
    "{side} basilar opacities likely represent atelectasis .",
    "patchy opacity in the {side} {lobe} may represent pneumonia .",
    "no focal airspace consolidation is seen .",
    "pulmonary vascular congestion with mild interstitial edema .",
    "the endotracheal tube terminates {n} cm above the carina .",
    "a {side} internal jugular central venous catheter ends in the superior vena cava .",
    "an enteric tube courses below the diaphragm .",
    "there is no pneumothorax .",
    "degenerative changes of the thoracic spine .",
    "a calcified granuloma is noted in the {side} {lobe} .",
    "pneumonia cannot be excluded .",
    "no acute cardiopulmonary abnormality .",
    "the osseous structures are intact .",
    "{size} {side} apical pneumothorax .",
    "sternotomy wires are intact .",
    "low lung volumes with bronchovascular crowding .",
    "the aorta is tortuous and calcified .",
]


def sentence(rng):
    t = rng.choice(TEMPLATES)
    return t.format(side=rng.choice(SIDES), size=rng.choice(SIZES), lobe=rng.choice(LOBES),
                    n=rng.randint(2, 7), stable=rng.choice(["stable", "unchanged", "new"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--impressions", action="store_true", help="1-2 sentences per report")
    ap.add_argument("--sentences", default="3-7", help="reference length range, MIN-MAX")
    a = ap.parse_args()
    low, high = (int(x) for x in a.sentences.split("-"))
    rng = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    with open(os.path.join(a.out_dir, "pred.jsonl"), "w") as fp, \
         open(os.path.join(a.out_dir, "ref.jsonl"), "w") as fr:
        for i in range(a.n):
            if a.impressions:
                ref = [sentence(rng) for _ in range(rng.randint(1, 2))]
                keep = rng.randint(1, len(ref))
            else:
                ref = [sentence(rng) for _ in range(rng.randint(low, high))]
                keep = rng.randint(2, len(ref))
            pred = [s if rng.random() < 0.5 else sentence(rng) for s in ref[:keep]]
            sid = f"s{i:07d}"
            fr.write(json.dumps({"id": sid, "report": " ".join(ref)}) + "\n")
            fp.write(json.dumps({"id": sid, "report": " ".join(pred)}) + "\n")


if __name__ == "__main__":
    main()
