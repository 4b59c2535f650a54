#!/usr/bin/python3
"""Accuracy of the `rules` labeler on the dev set, on both halves of it, and on the held-out corpus.

    /usr/bin/python3 scripts/rules_accuracy.py [--build build] [--rules-dir DIR] [--quiet]

1. Labels ../shared/labels/iu_chexbert_dev.jsonl (or $RRG_SHARED_DIR/labels/...) with
   build/rules-dev and scores it with the reference scorer score_labels.py: the whole set, then
   its two halves split by the MD5 of the report id (even / odd last hex digit). A change of the
   phrase lists should help both halves, not only the whole set.
2. Labels tests/data/rules_heldout.jsonl (reports written for rrg, hand labels in CheXbert's
   conventions, see docs/rules-labeler.md) and scores it with the same scorer after converting
   its compact labels ("CM=1 PE=0 NF=1") to the scorer's layout.

--rules-dir passes edited lists to rules-dev, so a change can be measured without rebuilding.
Temporary files go to a fresh directory under /tmp that is removed at the end.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

OBS = ["Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion", "Edema",
       "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion",
       "Pleural Other", "Fracture", "Support Devices", "No Finding"]
CODES = ["ECM", "CM", "LO", "LL", "ED", "CO", "PNA", "AT", "PTX", "PE", "PO", "FX", "SD", "NF"]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shared_dir():
    env = os.environ.get("RRG_SHARED_DIR")
    if env:
        return env
    return os.path.join(os.path.dirname(ROOT), "shared")


def compact_to_labels(spec):
    labels = {o: None for o in OBS}
    for item in spec.split():
        code, value = item.split("=")
        labels[OBS[CODES.index(code)]] = int(value)
    return labels


def run_rules_dev(args, in_path, out_path):
    cmd = [os.path.join(args.build, "rules-dev"), in_path, out_path]
    if args.rules_dir:
        cmd += ["--rules-dir", args.rules_dir]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)


def score(scorer, gold, pred, title, quiet):
    out = subprocess.run(["/usr/bin/python3", scorer, gold, pred], check=True,
                         capture_output=True, text=True).stdout
    lines = out.strip().splitlines()
    print(f"== {title}")
    print("\n".join(lines if not quiet else lines[-1:]))


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rules-dir")
    ap.add_argument("--quiet", action="store_true", help="only the summary line of each score")
    args = ap.parse_args()

    scorer = os.path.join(shared_dir(), "labels", "score_labels.py")
    dev = os.path.join(shared_dir(), "labels", "iu_chexbert_dev.jsonl")
    with tempfile.TemporaryDirectory(prefix="rules_accuracy_") as tmp:
        if os.path.exists(dev):
            pred = os.path.join(tmp, "dev_pred.jsonl")
            run_rules_dev(args, dev, pred)
            score(scorer, dev, pred, "dev set", args.quiet)
            gold_records = [json.loads(l) for l in open(dev, encoding="utf-8") if l.strip()]
            pred_records = [json.loads(l) for l in open(pred, encoding="utf-8") if l.strip()]
            for half in (0, 1):
                keep = lambda r: int(hashlib.md5(str(r["id"]).encode()).hexdigest()[-1], 16) % 2 == half
                write_jsonl(os.path.join(tmp, f"gold{half}.jsonl"), filter(keep, gold_records))
                write_jsonl(os.path.join(tmp, f"pred{half}.jsonl"), filter(keep, pred_records))
                score(scorer, os.path.join(tmp, f"gold{half}.jsonl"),
                      os.path.join(tmp, f"pred{half}.jsonl"), f"dev half {half}", True)
        else:
            print(f"{dev} is absent: dev set skipped", file=sys.stderr)

        heldout = os.path.join(ROOT, "tests", "data", "rules_heldout.jsonl")
        records = [json.loads(l) for l in open(heldout, encoding="utf-8") if l.strip()]
        gold = os.path.join(tmp, "heldout_gold.jsonl")
        write_jsonl(gold, ({"id": r["id"], "report": r["report"],
                            "labels": compact_to_labels(r["labels"])} for r in records))
        pred = os.path.join(tmp, "heldout_pred.jsonl")
        run_rules_dev(args, gold, pred)
        if os.path.exists(scorer):
            score(scorer, gold, pred, "held-out corpus (tests/data/rules_heldout.jsonl)",
                  args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
