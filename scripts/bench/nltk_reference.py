#!/usr/bin/env python3
"""The Python reference for `rrg evaluate`'s seed family, for whole-process timing.

    nltk_reference.py PRED.jsonl REF.jsonl [--metrics bleu,meteor]

Computes what the original toolkit computes with NLTK 3.8 on `text.lower().split()` tokens:
corpus_bleu and per-sample sentence_bleu for BLEU-1..4 (SmoothingFunction().method1) and the
mean of meteor_score over samples (WordNet 3.0 from Debian's wordnet-base, opened through
tests/support/nltk_oracle.py). Prints the corpus values as JSON. Run with /usr/bin/python3.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "support"))


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pred")
    ap.add_argument("ref")
    ap.add_argument("--metrics", default="bleu,meteor")
    a = ap.parse_args()
    wanted = set(a.metrics.split(","))
    preds = {r["id"]: r["report"] for r in read(a.pred)}
    refs = {r["id"]: r["report"] for r in read(a.ref)}
    ids = [i for i in preds if i in refs]
    hyp = [preds[i].lower().split() for i in ids]
    ref = [refs[i].lower().split() for i in ids]
    out = {}
    if "bleu" in wanted:
        from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu

        smooth = SmoothingFunction().method1
        for n in range(1, 5):
            weights = tuple([1.0 / n] * n)
            out[f"BLEU-{n}"] = corpus_bleu([[r] for r in ref], hyp, weights=weights, smoothing_function=smooth)
            per = [sentence_bleu([r], h, weights=weights, smoothing_function=smooth) for h, r in zip(hyp, ref)]
            out[f"BLEU-{n}-mean"] = sum(per) / len(per)
    if "meteor" in wanted:
        import nltk_oracle
        from nltk.translate.meteor_score import meteor_score

        wn = nltk_oracle.wordnet()
        per = [meteor_score([r], h, wordnet=wn) if h else 0.0 for h, r in zip(hyp, ref)]
        out["METEOR"] = sum(per) / len(per)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
