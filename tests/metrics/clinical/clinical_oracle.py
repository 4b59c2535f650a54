#!/usr/bin/python3
"""Test-time oracle for rrg's clinical metrics: the same numbers computed with scikit-learn.

Run with Debian's /usr/bin/python3 (python3-sklearn 1.2, python3-numpy 1.24). Reads one JSON
object on stdin and writes one JSON object on stdout (floats in repr form, so they round-trip
exactly). Modes:

  {"mode": "metrics", "cases": [{"pred": [[14 x 1|0|-1|null], ...], "ref": [...],
                                 "per_sample": true}, ...]}
      -> {"results": [{"corpus": {key: value|null}, "per_sample": {name: [values]}}, ...]}
      (several cases per call: importing sklearn costs more than the metrics)
      Keys are built here independently of the C++ code, from docs/metrics-clinical.md.
  {"mode": "empty"}
      -> what sklearn does on zero samples: {call: {"value": v} | {"error": "Type: message"}}
  {"mode": "sum", "arrays": [[...], ...]}
      -> {"sum": [np.sum(a)], "mean": [np.mean(a) or null]}

Every metric is a direct sklearn call on the multilabel indicator matrices:
precision_recall_fscore_support(average=micro|macro|weighted|samples), roc_auc_score,
f1_score, recall_score, recall_score(pos_label=0) for specificity.
"""
import json
import sys
import warnings

try:
    import numpy as np
    from sklearn.metrics import (f1_score, precision_recall_fscore_support, recall_score,
                                 roc_auc_score)
except ImportError as error:  # the C++ test skips on status 77
    print(f"clinical_oracle.py needs python3-sklearn: {error}", file=sys.stderr)
    sys.exit(77)

warnings.filterwarnings("ignore")

OBS = ["Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion", "Edema",
       "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion",
       "Pleural Other", "Fracture", "Support Devices", "No Finding"]
FIVE = ["Cardiomegaly", "Edema", "Consolidation", "Atelectasis", "Pleural Effusion"]
POLICIES = ["uzeros", "uones"]


def slug(name):
    return name.lower().replace(" ", "_")


def binarize(rows, policy):
    positive = {1} if policy == "uzeros" else {1, -1}
    out = np.array([[1 if v in positive else 0 for v in row] for row in rows], dtype=int)
    return out.reshape(len(rows), len(OBS))


def metrics(request):
    pred, ref = request["pred"], request["ref"]
    corpus = {}
    for size, names in ((14, OBS), (5, FIVE)):
        cols = [OBS.index(n) for n in names]
        for policy in POLICIES:
            yt = binarize(ref, policy)[:, cols]
            yp = binarize(pred, policy)[:, cols]
            for avg in ("micro", "macro", "weighted"):
                p, r, f, _ = precision_recall_fscore_support(yt, yp, average=avg)
                for stat, v in (("precision", p), ("recall", r), ("f1", f)):
                    corpus[f"chexpert_{avg}_{stat}_{size}_{policy}"] = float(v)
    for policy in POLICIES:
        p, r, f, _ = precision_recall_fscore_support(
            binarize(ref, policy), binarize(pred, policy), average="samples")
        for stat, v in (("precision", p), ("recall", r), ("f1", f)):
            corpus[f"chexpert_example_{stat}_{policy}"] = float(v)

    # The original toolkit's table, U-zeros. N/A = roc_auc_score raises (one class only).
    yt, yp = binarize(ref, "uzeros"), binarize(pred, "uzeros")
    valid = {"auc": [], "f1": [], "recall": [], "specificity": []}
    rows = {}
    for j, name in enumerate(OBS):
        y, s = yt[:, j], yp[:, j]
        try:
            auc = float(roc_auc_score(y, s))
        except ValueError:
            auc = None
        row = {"auc": auc, "f1": float(f1_score(y, s)), "recall": float(recall_score(y, s)),
               "specificity": float(recall_score(y, s, pos_label=0)),
               "n_pos": int(y.sum()), "n_neg": int(len(y) - y.sum())}
        rows[slug(name)] = row
        if auc is not None:
            for stat in valid:
                valid[stat].append(row[stat])
    for stat, values in valid.items():
        corpus[f"chexpert_table_macro_{stat}"] = float(np.mean(values)) if values else None
    corpus["chexpert_table_n_valid"] = len(valid["auc"])
    for name in OBS:
        for stat, v in rows[slug(name)].items():
            corpus[f"chexpert_table_{stat}_{slug(name)}"] = v

    per_sample = {}
    if request.get("per_sample", True):
        per_sample["n_agree"] = [sum(1 for a, b in zip(p, r) if a == b) for p, r in zip(pred, ref)]
        per_sample["n_disagree"] = [sum(1 for a, b in zip(p, r) if a != b)
                                    for p, r in zip(pred, ref)]
        for policy in POLICIES:
            yt, yp = binarize(ref, policy), binarize(pred, policy)
            values = {"precision": [], "recall": [], "f1": []}
            for i in range(len(pred)):
                p, r, f, _ = precision_recall_fscore_support(yt[i:i + 1], yp[i:i + 1],
                                                             average="samples")
                values["precision"].append(float(p))
                values["recall"].append(float(r))
                values["f1"].append(float(f))
            for stat, v in values.items():
                per_sample[f"chexpert_example_{stat}_{policy}"] = v
    return {"corpus": corpus, "per_sample": per_sample}


def empty(_request):
    out = {}
    calls = {
        "precision_recall_fscore_support_micro": lambda: precision_recall_fscore_support(
            np.zeros((0, 14), dtype=int), np.zeros((0, 14), dtype=int), average="micro")[2],
        "precision_recall_fscore_support_samples": lambda: precision_recall_fscore_support(
            np.zeros((0, 14), dtype=int), np.zeros((0, 14), dtype=int), average="samples")[2],
        "roc_auc_score": lambda: roc_auc_score(np.zeros(0, dtype=int), np.zeros(0, dtype=int)),
        "f1_score": lambda: f1_score(np.zeros(0, dtype=int), np.zeros(0, dtype=int)),
        "recall_score": lambda: recall_score(np.zeros(0, dtype=int), np.zeros(0, dtype=int)),
    }
    for name, call in calls.items():
        try:
            out[name] = {"value": float(call())}
        except Exception as e:  # noqa: BLE001 - we report whatever sklearn raises
            out[name] = {"error": f"{type(e).__name__}: {e}"}
    return out


def sums(request):
    arrays = [np.array(a, dtype=np.float64) for a in request["arrays"]]
    return {"sum": [float(np.sum(a)) for a in arrays],
            "mean": [float(np.mean(a)) if len(a) else None for a in arrays]}


def main():
    request = json.load(sys.stdin)
    if request["mode"] == "metrics":
        answer = {"results": [metrics(case) for case in request["cases"]]}
    else:
        answer = {"empty": empty, "sum": sums}[request["mode"]](request)
    json.dump(answer, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
