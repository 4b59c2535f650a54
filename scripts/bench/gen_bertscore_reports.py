#!/usr/bin/env python3
"""Writes N distinct prediction/reference pairs of chest X-ray reports of real length for the
BERTScore benchmark (written for rrg: no dataset text).

    gen_bertscore_reports.py N OUT_DIR [--seed S]

OUT_DIR/pred.jsonl and OUT_DIR/ref.jsonl, one {"id", "report"} per line. A reference is a
FINDINGS paragraph of 5-9 sentences and an IMPRESSION of 1-3 (about 60-130 words, 80-170 BPE
tokens, like MIMIC-CXR's); a prediction keeps about half of the reference's sentences, rewords or
replaces the others and sometimes drops or adds one. Every text is distinct (measurements and
comparison dates vary), so deduplication saves nothing on either side of the comparison.
"""
import argparse
import json
import os
import random

SIDES = ["left", "right", "bilateral"]
SIZES = ["small", "moderate", "large", "trace", "tiny", "small to moderate"]
LOBES = ["upper lobe", "lower lobe", "middle lobe", "lingula", "lung base", "apex",
         "perihilar region", "retrocardiac region"]
DEVICES = ["endotracheal tube", "nasogastric tube", "right internal jugular central venous "
           "catheter", "left subclavian PICC line", "dual-lead pacemaker", "chest tube"]
FINDINGS = [
    "The heart size is normal.",
    "The heart is mildly enlarged, similar to the prior study.",
    "Moderate cardiomegaly is {stable}.",
    "The mediastinal and hilar contours are within normal limits.",
    "The cardiomediastinal silhouette is {stable} in appearance.",
    "The lungs are clear without focal consolidation.",
    "There is no pleural effusion or pneumothorax.",
    "There is a {size} {side} pleural effusion with adjacent atelectasis.",
    "{Side} basilar opacities likely represent atelectasis, although infection cannot be excluded.",
    "Patchy opacity in the {side} {lobe} may represent pneumonia in the appropriate clinical setting.",
    "No focal airspace consolidation is seen.",
    "Pulmonary vascular congestion with mild interstitial edema.",
    "The {device} terminates approximately {n} cm above the carina.",
    "The {device} is in unchanged position.",
    "A {device} is seen with its tip projecting over the {tip}.",
    "There is no pneumothorax following placement of the {device}.",
    "Degenerative changes of the thoracic spine are noted.",
    "A {mm} mm calcified granuloma is noted in the {side} {lobe}.",
    "A {mm} mm nodular opacity in the {side} {lobe} warrants comparison with prior imaging.",
    "The osseous structures are intact without acute fracture.",
    "Healed fractures of the {side} {rib} ribs are again seen.",
    "Median sternotomy wires and mediastinal clips are intact.",
    "Low lung volumes result in crowding of the bronchovascular markings.",
    "The aorta is tortuous and calcified.",
    "Hyperinflation of the lungs is consistent with chronic obstructive pulmonary disease.",
    "Linear opacities at the {side} lung base are compatible with scarring or subsegmental atelectasis.",
    "Compared to the radiograph from {date}, there has been interval {change} of the {side} effusion.",
    "Surgical clips project over the right upper quadrant.",
    "There is elevation of the {side} hemidiaphragm.",
    "No free air is seen beneath the diaphragms.",
]
IMPRESSIONS = [
    "No acute cardiopulmonary process.",
    "{Size} {side} pleural effusion, {change} compared to {date}.",
    "Findings concerning for pneumonia in the {side} {lobe}; follow-up radiographs after treatment are recommended.",
    "Mild pulmonary edema and cardiomegaly.",
    "Support devices in appropriate position.",
    "Stable appearance of the chest without acute findings.",
    "{Side} basilar atelectasis; superimposed infection is not excluded.",
    "Recommend chest CT for further evaluation of the {mm} mm nodule.",
    "Interval improvement in aeration of the {side} lung.",
]
REWORDS = {
    "The heart size is normal.": "Heart size is within normal limits.",
    "The lungs are clear without focal consolidation.": "Lungs are clear.",
    "There is no pleural effusion or pneumothorax.": "No effusion or pneumothorax is seen.",
    "No focal airspace consolidation is seen.": "There is no focal consolidation.",
    "No acute cardiopulmonary process.": "No acute cardiopulmonary abnormality.",
}
TIPS = ["superior vena cava", "cavoatrial junction", "right atrium", "stomach", "mid trachea"]
RIBS = ["fifth and sixth", "posterior seventh", "lateral eighth", "anterior fourth"]
CHANGES = ["increase", "decrease", "no change", "slight improvement", "worsening"]


def fill(template, rng):
    side = rng.choice(SIDES)
    size = rng.choice(SIZES)
    return template.format(side=side, Side=side.capitalize(), size=size, Size=size.capitalize(),
                           lobe=rng.choice(LOBES), device=rng.choice(DEVICES),
                           n=rng.randint(2, 7), mm=rng.randint(3, 18), tip=rng.choice(TIPS),
                           rib=rng.choice(RIBS), change=rng.choice(CHANGES),
                           stable=rng.choice(["stable", "unchanged", "new", "slightly larger"]),
                           date=f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(2005, 2019)}")


def report(rng):
    findings = [fill(t, rng) for t in rng.sample(FINDINGS, rng.randint(5, 9))]
    impression = [fill(t, rng) for t in rng.sample(IMPRESSIONS, rng.randint(1, 3))]
    return findings, impression


def prediction(findings, impression, rng):
    out = []
    for s in findings:
        r = rng.random()
        if r < 0.5:
            out.append(s)
        elif r < 0.7:
            out.append(REWORDS.get(s, fill(rng.choice(FINDINGS), rng)))
        elif r < 0.9:
            out.append(fill(rng.choice(FINDINGS), rng))
    if rng.random() < 0.3:
        out.append(fill(rng.choice(FINDINGS), rng))
    imp = [s if rng.random() < 0.6 else fill(rng.choice(IMPRESSIONS), rng) for s in impression]
    return out, imp


def text(findings, impression):
    return "FINDINGS: " + " ".join(findings) + " IMPRESSION: " + " ".join(impression)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=12)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    seen = set()
    pairs = []
    while len(pairs) < a.n:
        f, i = report(rng)
        ref = text(f, i)
        pred = text(*prediction(f, i, rng))
        if ref in seen or pred in seen or ref == pred:
            continue
        seen.update((ref, pred))
        pairs.append((pred, ref))
    with open(os.path.join(a.out_dir, "pred.jsonl"), "w") as fp, \
         open(os.path.join(a.out_dir, "ref.jsonl"), "w") as fr:
        for k, (pred, ref) in enumerate(pairs):
            fp.write(json.dumps({"id": f"s{k:05d}", "report": pred}) + "\n")
            fr.write(json.dumps({"id": f"s{k:05d}", "report": ref}) + "\n")


if __name__ == "__main__":
    main()
