#!/usr/bin/python3
"""Accuracy of the `rules` labeler on impressions (the dev set, both halves of it, the held-out
corpus) and on full reports (the full-report corpus, the IU X-Ray references of iu_number_beam1).

    /usr/bin/python3 scripts/rules_accuracy.py [--build build] [--rules-dir DIR] [--quiet]

1. Labels ../shared/labels/iu_chexbert_dev.jsonl (or $RRG_SHARED_DIR/labels/...) with
   build/rules-dev and scores it with the reference scorer score_labels.py: the whole set, then
   its two halves split by the MD5 of the report id (even / odd last hex digit). A change of the
   phrase lists should help both halves, not only the whole set.
2. Labels tests/data/rules_heldout.jsonl (reports written for rrg, hand labels in CheXbert's
   conventions, see docs/rules-labeler.md) and scores it with the same scorer after converting
   its compact labels ("CM=1 PE=0 NF=1") to the scorer's layout.

3. Labels tests/data/rules_fullreports.jsonl (full reports written for rrg, hand labels in the
   scorer's layout) and scores it the same way.
4. Labels the 382 IU X-Ray references of ../shared/parity/nlg/cases/iu_number_beam1/ref.jsonl
   (findings + impression, R2Gen-cleaned) as `rrg evaluate` feeds them to the labeler (the
   seed clean_report, which for these texts only collapses white space), and compares the
   number of positive labels per observation with CheXbert's published counts for the same
   texts (CHEXBERT_IU_REFERENCE_POSITIVES): the total absolute distance is the figure of
   issue 10.

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

# CheXbert's positive labels (value 1) per observation on the 382 iu_number_beam1 references.
CHEXBERT_IU_REFERENCE_POSITIVES = [8, 39, 42, 14, 10, 4, 3, 23, 2, 13, 5, 17, 18, 140]

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

        full = os.path.join(ROOT, "tests", "data", "rules_fullreports.jsonl")
        pred = os.path.join(tmp, "fullreports_pred.jsonl")
        run_rules_dev(args, full, pred)
        if os.path.exists(scorer):
            score(scorer, full, pred, "full-report corpus (tests/data/rules_fullreports.jsonl)",
                  args.quiet)

        refs = os.path.join(shared_dir(), "parity", "nlg", "cases", "iu_number_beam1",
                            "ref.jsonl")
        if os.path.exists(refs):
            cleaned = os.path.join(tmp, "iu_refs.jsonl")
            write_jsonl(cleaned, ({"id": r["id"], "report": " ".join(r["report"].split())}
                                  for r in (json.loads(l) for l in open(refs, encoding="utf-8")
                                            if l.strip())))
            pred = os.path.join(tmp, "iu_refs_pred.jsonl")
            run_rules_dev(args, cleaned, pred)
            rows = [json.loads(l)["labels"] for l in open(pred, encoding="utf-8") if l.strip()]
            print(f"== iu_number_beam1 references ({len(rows)} full reports): positive labels")
            distance = 0
            for name, chexbert in zip(OBS, CHEXBERT_IU_REFERENCE_POSITIVES):
                rules = sum(1 for r in rows if r[name] == 1)
                distance += abs(rules - chexbert)
                if not args.quiet:
                    print(f"{name:28s} rules {rules:4d}  CheXbert {chexbert:4d}  "
                          f"{rules - chexbert:+4d}")
            print(f"total absolute distance to CheXbert's counts {distance}")
        else:
            print(f"{refs} is absent: the iu_number_beam1 comparison is skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
