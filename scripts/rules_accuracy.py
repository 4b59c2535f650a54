#!/usr/bin/python3
"""Accuracy of the `rules` labeler on impressions (the dev set, both halves of it, the held-out
corpus) and on full reports (the full-report corpus, the IU X-Ray references of iu_number_beam1).

    /usr/bin/python3 scripts/rules_accuracy.py [--build build] [--rules-dir DIR] [--quiet]
                                               [--mrg-rl DIR]

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

5. With --mrg-rl DIR (a clone of github.com/WangXuanmin/MRG_RL, the repository the
   iu_number_beam1 case comes from; read in place, nothing is copied), two more checks against
   CheXbert outputs published there for the same 382 test studies:
   - another model's generated reports (its beam-3 run, MRG_RL_BEAM3): CheXbert's positive counts
     of those 382 reports (tp + fp per observation) and, per observation, the number of studies
     where both the reference and the generated report are positive (tp), from its
     clinical_metrics.json;
   - the clinical oracles (MRG_RL_ORACLES): for every reference, the retrieved training report
     (of 50, or of 20) that maximises BLEU-4 + ROUGE-L + CheXbert F1 against it; CheXbert's micro
     tp / fp / fn between references and oracle picks. The oracles chose the picks with
     CheXbert's per-report labels, so a labeler that agrees with CheXbert reproduces these
     counts.

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

# Files of github.com/WangXuanmin/MRG_RL (commit 7394efd617be62347f94c3b6efee764b68bb75a7).
MRG_RL_BEAM3 = "save/iu_xray/qwen_dino_sft_rag_top20_copy_oracle_cw1_lr2e5_test_beam3"
# The clinical oracles: per reference, the retrieved training report (of the top 50, or of the
# top 20) that maximises BLEU-4 + ROUGE-L + CheXbert F1, with CheXbert's micro tp / fp / fn
# between references and picks (rag_top50_clinical_oracle/test_summary.json "cw1.0_rf0.0";
# rag_top20_copy_oracle_cw1/build_summary.json, test split).
MRG_RL_ORACLES = [
    ("top-50", "save/iu_xray/rag_top50_clinical_oracle/test_cw1.0_rf0.0_preds.json", (281, 97, 57)),
    ("top-20", "save/iu_xray/rag_top20_copy_oracle_cw1/test_oracle_preds.json", (256, 126, 82)),
]

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


def label_texts(args, tmp, name, items):
    """Labels (id, text) pairs with rules-dev after collapsing white space; id -> labels."""
    src = os.path.join(tmp, name + ".jsonl")
    write_jsonl(src, ({"id": i, "report": " ".join(t.split())} for i, t in items))
    out = os.path.join(tmp, name + "_pred.jsonl")
    run_rules_dev(args, src, out)
    return {r["id"]: r["labels"] for r in (json.loads(l) for l in open(out, encoding="utf-8"))}


def mrg_rl_checks(args, tmp):
    def load(rel):
        with open(os.path.join(args.mrg_rl, rel), encoding="utf-8") as f:
            return json.load(f)
    refs = load(MRG_RL_BEAM3 + "/result/test_refs.json")
    hyps = load(MRG_RL_BEAM3 + "/result/test_result.json")
    chexbert = load(MRG_RL_BEAM3 + "/clinical_metrics.json")["chexbert"]["per_label"]
    ref_labels = label_texts(args, tmp, "beam3_refs", ((k, v[0]) for k, v in refs.items()))
    hyp_labels = label_texts(args, tmp, "beam3_hyps", ((k, v[0]) for k, v in hyps.items()))
    print(f"== MRG_RL beam-3 generated reports ({len(hyp_labels)}): positive labels; "
          "studies positive in both reference and report")
    count_distance = tp_distance = 0
    for name in OBS:
        rules = sum(1 for r in hyp_labels.values() if r[name] == 1)
        rules_tp = sum(1 for k in ref_labels if ref_labels[k][name] == 1 and
                       hyp_labels[k][name] == 1)
        cb = chexbert[name]["tp"] + chexbert[name]["fp"]
        count_distance += abs(rules - cb)
        tp_distance += abs(rules_tp - chexbert[name]["tp"])
        if not args.quiet:
            print(f"{name:28s} rules {rules:4d}  CheXbert {cb:4d}  {rules - cb:+4d}   "
                  f"both: rules {rules_tp:3d}  CheXbert {chexbert[name]['tp']:3d}")
    print(f"total absolute distance: positive counts {count_distance}, both-positive counts "
          f"{tp_distance}")
    with open(os.path.join(shared_dir(), "parity", "nlg", "cases", "iu_number_beam1",
                           "ref.jsonl"), encoding="utf-8") as f:
        iu_refs = [json.loads(l) for l in f if l.strip()]
    ref_labels = label_texts(args, tmp, "oracle_refs", ((r["id"], r["report"]) for r in iu_refs))
    for name, rel, cb in MRG_RL_ORACLES:
        picks = load(rel)
        pick_labels = label_texts(args, tmp, "oracle_picks_" + name,
                                  ((k, v[0]) for k, v in picks.items()))
        tp = fp = fn = 0
        for k, ref in ref_labels.items():
            for obs in OBS:
                a, b = ref[obs] == 1, pick_labels[k][obs] == 1
                tp += a and b
                fp += b and not a
                fn += a and not b
        print(f"== MRG_RL {name} clinical oracle: references vs picks, micro tp/fp/fn rules "
              f"{tp}/{fp}/{fn} F1 {2 * tp / (2 * tp + fp + fn):.3f}, CheXbert "
              f"{cb[0]}/{cb[1]}/{cb[2]} F1 {2 * cb[0] / (2 * cb[0] + cb[1] + cb[2]):.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rules-dir")
    ap.add_argument("--quiet", action="store_true", help="only the summary line of each score")
    ap.add_argument("--mrg-rl", help="a clone of github.com/WangXuanmin/MRG_RL: two more checks "
                    "against CheXbert outputs on the same IU X-Ray test studies")
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
        if args.mrg_rl:
            mrg_rl_checks(args, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
