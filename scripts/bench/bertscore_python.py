#!/usr/bin/python3
"""The Python side of scripts/bench_bertscore.sh: BERTScore computed the way bert_score 0.3.13
does it (bert_score/utils.py `bert_cos_score_idf`), with python3-torch and the tests' plain-torch
encoder (tests/torch_module/hf_encoder_reference.py) in place of transformers' RobertaModel, and
the tests' HF-algorithm BPE (tests/text/gpt2_bpe_reference.py, Python `regex`) in place of
RobertaTokenizer:

  sentences = refs + hyps, set()-deduplicated and sorted by word count (longest first); batches
  of 64: sent_encode, pad with <pad>, attention mask, forward through layers 0..L; embeddings of
  each sentence cut to its length; then batches of 64 pairs: zero-padded greedy_cos_idf in
  float32 (bmm of normalised embeddings, masks, max, weighted sums).

    bertscore_python.py FOLDER PRED.jsonl REF.jsonl LAYER THREADS OUT.json

OUT = {"P", "R", "F" per pair, "seconds" (tokenise + forward + match), "model_seconds",
"load_seconds", "tokens" (real tokens run)}.
"""
import json
import os
import sys
import time

import torch
from torch.nn.utils.rnn import pad_sequence

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "torch_module"))
sys.path.insert(0, os.path.join(ROOT, "tests", "metrics", "bertscore"))
sys.path.insert(0, os.path.join(ROOT, "tests", "text"))

import bertscore_reference  # noqa: E402  (sent_encode)
import hf_encoder_reference as enc  # noqa: E402


def main():
    folder, pred, ref, layer, threads, out = sys.argv[1:7]
    layer, threads = int(layer), int(threads)
    torch.set_num_threads(threads)
    hyps = [json.loads(line)["report"] for line in open(pred)]
    refs = [json.loads(line)["report"] for line in open(ref)]
    start = time.perf_counter()
    config, arch, sd = enc.load(folder)
    load_seconds = time.perf_counter() - start
    encode = bertscore_reference.encoder_for(folder)
    pad = config["pad_token_id"]
    with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    cls, sep = vocab["<s>"], vocab["</s>"]

    start = time.perf_counter()
    model_seconds = 0.0
    tokens = 0
    sentences = sorted(set(refs + hyps), key=lambda x: len(x.split(" ")), reverse=True)
    stats = {}
    with torch.no_grad():
        for b in range(0, len(sentences), 64):
            batch = sentences[b:b + 64]
            ids = [encode(s) for s in batch]
            lens = [len(i) for i in ids]
            tokens += sum(lens)
            padded = torch.full((len(ids), max(lens)), pad, dtype=torch.long)
            mask = torch.zeros((len(ids), max(lens)), dtype=torch.long)
            for i, row in enumerate(ids):
                padded[i, :lens[i]] = torch.tensor(row)
                mask[i, :lens[i]] = 1
            t = time.perf_counter()
            emb = enc.forward(config, arch, sd, padded, mask, layer)
            model_seconds += time.perf_counter() - t
            for i, s in enumerate(batch):
                w = torch.tensor([0.0 if x in (cls, sep) else 1.0 for x in ids[i]])
                stats[s] = (emb[i, :lens[i]], w)
        P, R, F = [], [], []
        for b in range(0, len(refs), 64):
            def pad_batch(texts):
                e = pad_sequence([stats[t][0] for t in texts], batch_first=True, padding_value=2.0)
                w = pad_sequence([stats[t][1] for t in texts], batch_first=True)
                lens = torch.tensor([stats[t][0].size(0) for t in texts])
                m = torch.arange(e.size(1)).expand(len(texts), e.size(1)) < lens.unsqueeze(1)
                return e, m, w

            re_, rm, rw = pad_batch(refs[b:b + 64])
            he, hm, hw = pad_batch(hyps[b:b + 64])
            re_ = re_ / torch.norm(re_, dim=-1).unsqueeze(-1)
            he = he / torch.norm(he, dim=-1).unsqueeze(-1)
            sim = torch.bmm(he, re_.transpose(1, 2))
            sim = sim * torch.bmm(hm.unsqueeze(2).float(), rm.unsqueeze(1).float())
            wp, wr = sim.max(dim=2)[0], sim.max(dim=1)[0]
            p = (wp * (hw / hw.sum(dim=1, keepdim=True))).sum(dim=1)
            r = (wr * (rw / rw.sum(dim=1, keepdim=True))).sum(dim=1)
            f = 2 * p * r / (p + r)
            empty = hm.sum(dim=1).eq(2) | rm.sum(dim=1).eq(2)
            p, r = p.masked_fill(empty, 0.0), r.masked_fill(empty, 0.0)
            f = f.masked_fill(torch.isnan(f), 0.0)
            P += p.tolist()
            R += r.tolist()
            F += f.tolist()
    seconds = time.perf_counter() - start
    with open(out, "w") as f:
        json.dump({"P": P, "R": R, "F": F, "seconds": seconds, "model_seconds": model_seconds,
                   "load_seconds": load_seconds, "tokens": tokens}, f)


if __name__ == "__main__":
    main()
