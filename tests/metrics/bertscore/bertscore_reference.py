#!/usr/bin/python3
"""Independent re-implementation of bert_score 0.3.13's scoring (bert_score/score.py `score`,
bert_score/utils.py `sent_encode`, `get_idf_dict`, `bert_cos_score_idf`, `greedy_cos_idf`),
written from its algorithm with numpy: the oracle of rrg's BERTScore front end.

  bertscore_reference.py encode FOLDER < texts.jsonl > ids.jsonl
      sent_encode of each text with the folder's tokenizer, built from the tests' tokenizer
      references (tests/text/wordpiece_reference.py, tests/text/gpt2_bpe_reference.py):
      strip(); "" -> [CLS, SEP]; RoBERTa: " " + text (add_prefix_space); truncation to
      model_max_length (tokenizer_config.json, else 512, capped by the position table).
  bertscore_reference.py score IN.json OUT.json
      IN = {"cands": [...], "refs": [[...], ...], "ids": {text: [...]},
            "emb": {text: [[...], ...]}, "idf": bool, "cls": id, "sep": id, "batch_size": n,
            "baseline": [P, R, F] or null}
      OUT = {"P": [...], "R": [...], "F": [...]}: per candidate, after the maximum over its
      references and rescaling. Everything in float64 except what bert_score keeps in float32
      on purpose (idf weights, baselines).
"""

import json
import math
import os
import sys
from collections import Counter

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "text"))


def python_strip(text):
    return text.strip()


def encoder_for(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    tok_config = {}
    if os.path.exists(os.path.join(folder, "tokenizer_config.json")):
        with open(os.path.join(folder, "tokenizer_config.json")) as f:
            tok_config = json.load(f)
    max_len = tok_config.get("model_max_length", 512)
    positions = config.get("max_position_embeddings", 512)
    if config["model_type"] == "roberta":
        import gpt2_bpe_reference as bpe
        with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
            vocab = json.load(f)
        with open(os.path.join(folder, "merges.txt"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[0].startswith("#version"):
            lines = lines[1:]
        ranks = {}
        for line in lines:
            if line:
                left, right = line.split(" ")
                ranks.setdefault((left, right), len(ranks))
        symbols = bpe.byte_symbols()
        max_len = min(max_len, positions - config.get("pad_token_id", 1) - 1)
        cls, sep = vocab["<s>"], vocab["</s>"]

        def pieces(text):
            ids = []
            for piece in bpe.PATTERN.findall(" " + text):  # add_prefix_space
                mapped = "".join(symbols[b] for b in piece.encode("utf-8"))
                ids.extend(vocab.get(t, vocab.get("<unk>")) for t in bpe.bpe(mapped, ranks))
            return ids
    else:
        import wordpiece_reference as wp
        vocab = {}
        with open(os.path.join(folder, "vocab.txt"), encoding="utf-8") as f:
            for i, line in enumerate(f):
                vocab[line.rstrip("\n")] = i
        if tok_config.get("do_lower_case") is False:
            wp.OPTIONS["lower"] = False
        max_len = min(max_len, positions)
        cls, sep = vocab["[CLS]"], vocab["[SEP]"]

        def pieces(text):
            return [vocab.get(t, vocab["[UNK]"]) for t in wp.tokenize(text, vocab)]

    def encode(text):
        text = python_strip(text)
        ids = pieces(text) if text else []
        return [cls] + ids[:max_len - 2] + [sep]

    return encode


def greedy(ref_emb, ref_len, ref_w, hyp_emb, hyp_len, hyp_w):
    """greedy_cos_idf on one padded batch: *_emb [B, L, D] (padded rows arbitrary), *_len [B],
    *_w [B, L] (padded with 0)."""
    def normalise(e):
        return e / np.linalg.norm(e, axis=-1, keepdims=True)

    ref_emb, hyp_emb = normalise(ref_emb), normalise(hyp_emb)
    sim = np.einsum("bid,bjd->bij", hyp_emb, ref_emb)
    hyp_mask = (np.arange(hyp_emb.shape[1])[None, :] < np.array(hyp_len)[:, None]).astype(float)
    ref_mask = (np.arange(ref_emb.shape[1])[None, :] < np.array(ref_len)[:, None]).astype(float)
    sim = sim * hyp_mask[:, :, None] * ref_mask[:, None, :]
    word_precision = sim.max(axis=2)
    word_recall = sim.max(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        hyp_scale = hyp_w / hyp_w.sum(axis=1, keepdims=True)
        ref_scale = ref_w / ref_w.sum(axis=1, keepdims=True)
        P = (word_precision * hyp_scale).sum(axis=1)
        R = (word_recall * ref_scale).sum(axis=1)
        F = 2 * P * R / (P + R)
    hyp_empty = np.array(hyp_len) == 2
    ref_empty = np.array(ref_len) == 2
    P[hyp_empty | ref_empty] = 0.0
    R[hyp_empty | ref_empty] = 0.0
    F[np.isnan(F)] = 0.0
    return P, R, F


def score(a):
    cands, refs = a["cands"], a["refs"]
    ids, emb = a["ids"], {t: np.array(e, dtype=np.float64) for t, e in a["emb"].items()}
    # Several references: flatten into pairs.
    flat_cands, flat_refs, bounds = [], [], []
    for c, group in zip(cands, refs):
        bounds.append((len(flat_refs), len(flat_refs) + len(group)))
        flat_cands += [c] * len(group)
        flat_refs += group
    if a["idf"]:
        m = len(flat_refs)
        df = Counter()
        for r in flat_refs:
            df.update(set(ids[r]))
        weight = lambda t: math.log((m + 1) / (df[t] + 1)) if t in df else math.log((m + 1) / 1)
    else:
        weight = lambda t: 0.0 if t in (a["cls"], a["sep"]) else 1.0

    def weights(text):
        return np.array([np.float32(weight(t)) for t in ids[text]], dtype=np.float64)

    def pad(texts):
        lens = [len(ids[t]) for t in texts]
        L, D = max(lens), next(iter(emb.values())).shape[1]
        e = np.full((len(texts), L, D), 2.0)  # bert_score pads embeddings with 2.0
        w = np.zeros((len(texts), L))
        for i, t in enumerate(texts):
            e[i, :lens[i]] = emb[t]
            w[i, :lens[i]] = weights(t)
        return e, lens, w

    preds = []
    bs = a["batch_size"]
    for start in range(0, len(flat_refs), bs):
        re_, rl, rw = pad(flat_refs[start:start + bs])
        he, hl, hw = pad(flat_cands[start:start + bs])
        preds.append(np.stack(greedy(re_, rl, rw, he, hl, hw), axis=-1))
    preds = np.concatenate(preds, axis=0)
    out = np.stack([preds[b:e].max(axis=0) for b, e in bounds], axis=0)
    if a.get("baseline") is not None:
        b = np.array(a["baseline"], dtype=np.float32).astype(np.float64)
        out = (out - b) / (1 - b)
    def listed(column):  # NaN (possible for P and R with idf) as null: JSON has no NaN
        return [None if math.isnan(x) else x for x in out[:, column].tolist()]

    return {"P": listed(0), "R": listed(1), "F": listed(2)}


def main():
    if sys.argv[1] == "encode":
        encode = encoder_for(sys.argv[2])
        for line in sys.stdin:
            if line.strip():
                print(json.dumps({"ids": encode(json.loads(line))}))
    else:
        with open(sys.argv[2]) as f:
            a = json.load(f)
        out = score(a)
        with open(sys.argv[3], "w") as f:
            json.dump(out, f)


if __name__ == "__main__":
    main()
