#!/usr/bin/python3
"""Plain-torch reference of CheXbert, the oracle for rrg's libtorch CheXbert.

CheXbert (Smit et al., EMNLP 2020; github.com/stanfordmlgroup/CheXbert, src/models/bert_labeler.py)
is a bert-base-uncased encoder (HF transformers 2.5.1 `BertModel`) whose final [CLS] hidden state
feeds 14 linear heads: 13 with 4 classes (blank, positive, negative, uncertain) and one with 2
(blank, positive) for No Finding. This file re-implements that architecture with plain torch.nn
modules whose attribute names reproduce the HF state_dict keys, so a checkpoint it writes has
exactly the layout of the published chexbert.pth:

  {"epoch": ..., "model_state_dict": {"module.bert.embeddings.word_embeddings.weight": ...},
   "optimizer_state_dict": ...}

(`module.` because CheXbert trained under nn.DataParallel; src/run_bert.py saves the optimizer too.)

It runs with Debian's python3-torch (1.13); run it with /usr/bin/python3. Subcommands:

  make-checkpoint OUT [--layers 2 --hidden 32 --heads 4 --intermediate 64 --vocab-size N
                       --max-positions 512 --seed 1 --format zip|legacy|plain|bare
                       --with-optimizer --drop KEY --reshape KEY]
      writes a random-weight checkpoint (weights ~N(0, 0.5) so random texts get varied labels).
      zip = torch.save default (PyTorch >= 1.6); legacy = _use_new_zipfile_serialization=False;
      plain = the bare DataParallel state dict without the {"model_state_dict": ...} wrapper;
      bare = a state dict without the `module.` prefix. --drop / --reshape corrupt it on purpose.
  make-test-set DIR  writes the tests' tiny checkpoints (tests/labelers/chexbert/chexbert_fixtures.h).
  run CHECKPOINT INPUT.json OUT.json [--heads N]
      INPUT = {"ids": [[101, ..., 102], ...]} (token ids, one list per report). Runs the model on
      each report alone and on padded batches of 7 (CheXbert's own attention-mask code path) and
      writes {"logits": [[54 floats: 13 heads x 4 classes, then No Finding's 2]...],
      "cls": [[H floats]...], "labels": [[14 labels: 1, 0, -1 or null]...],
      "batched_max_abs_diff": float}.
"""

import argparse
import json
import math
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_HEADS_4 = 13  # 13 observations with classes blank/positive/negative/uncertain
PAD_ID = 0        # CheXbert constants.PAD_IDX


class Config:
    def __init__(self, vocab_size=30522, hidden=768, layers=12, heads=12, intermediate=3072,
                 max_positions=512, type_vocab=2):
        self.vocab_size = vocab_size
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.intermediate = intermediate
        self.max_positions = max_positions
        self.type_vocab = type_vocab


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(c.max_positions, c.hidden)
        self.token_type_embeddings = nn.Embedding(c.type_vocab, c.hidden)
        self.LayerNorm = nn.LayerNorm(c.hidden, eps=1e-12)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1], dtype=torch.long).unsqueeze(0).expand_as(ids)
        types = torch.zeros_like(ids)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) \
            + self.token_type_embeddings(types)
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.heads
        self.head_size = c.hidden // c.heads
        self.query = nn.Linear(c.hidden, c.hidden)
        self.key = nn.Linear(c.hidden, c.hidden)
        self.value = nn.Linear(c.hidden, c.hidden)

    def split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.heads, self.head_size).permute(0, 2, 1, 3)

    def forward(self, x, mask_bias):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_size) + mask_bias
        probs = F.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.shape[0], ctx.shape[1], -1)


class DenseAddNorm(nn.Module):
    """HF's BertSelfOutput and BertOutput: LayerNorm(dense(h) + residual)."""

    def __init__(self, in_features, hidden):
        super().__init__()
        self.dense = nn.Linear(in_features, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, h, x):
        return self.LayerNorm(self.dense(h) + x)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseAddNorm(c.hidden, c.hidden)

    def forward(self, x, mask_bias):
        return self.output(self.self(x, mask_bias), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.intermediate)

    def forward(self, x):
        return F.gelu(self.dense(x))  # erf GELU, as HF "gelu"


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseAddNorm(c.intermediate, c.hidden)

    def forward(self, x, mask_bias):
        a = self.attention(x, mask_bias)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c.layers)])


class Pooler(nn.Module):  # present in the checkpoint, unused by CheXbert
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.hidden)


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)

    def forward(self, ids, attention_mask):
        # HF 2.5.1 BertModel: additive mask (1 - mask) * -10000 broadcast over heads and queries.
        mask_bias = (1.0 - attention_mask[:, None, None, :]) * -10000.0
        x = self.embeddings(ids)
        for layer in self.encoder.layer:
            x = layer(x, mask_bias)
        return x


class BertLabeler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = Bert(c)
        self.dropout = nn.Dropout(0.1)
        self.linear_heads = nn.ModuleList([nn.Linear(c.hidden, 4) for _ in range(NUM_HEADS_4)])
        self.linear_heads.append(nn.Linear(c.hidden, 2))

    def forward(self, ids, attention_mask):
        cls = self.bert(ids, attention_mask)[:, 0, :]
        cls = self.dropout(cls)
        return [head(cls) for head in self.linear_heads], cls


def class_to_label(head, cls_id):
    """CheXbert label.py save_preds: 0 blank -> None, 1 -> 1, 2 -> 0, 3 -> -1."""
    return {0: None, 1: 1, 2: 0, 3: -1}[cls_id]


def random_model(c, std):
    """A BertLabeler with every parameter drawn from N(0, std^2) (seed the generator first)."""
    model = BertLabeler(c)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, std)
    return model


def make_checkpoint(args):
    torch.manual_seed(args.seed)
    c = Config(args.vocab_size, args.hidden, args.layers, args.heads, args.intermediate,
               args.max_positions)
    save(random_model(c, args.std), args.out, args.format, args.with_optimizer, args.drop,
         args.reshape)


def save(model, out, fmt, with_optimizer=False, drop=(), reshape=()):
    """torch.save as CheXbert's run_bert.py does: {"epoch", "model_state_dict" of the
    DataParallel-wrapped model, "optimizer_state_dict"}."""
    state = nn.DataParallel(model).state_dict() if fmt != "bare" else model.state_dict()
    for key in drop:
        del state[key]
    for key in reshape:
        state[key] = torch.zeros(3, 5)
    if fmt in ("plain", "bare"):
        obj = state
    else:
        obj = OrderedDict(epoch=3, model_state_dict=state)
        if with_optimizer:
            opt = torch.optim.Adam(model.parameters(), lr=0.0)  # lr 0: weights stay as they are
            out_heads, _ = model(torch.tensor([[101, 5, 102]]), torch.ones(1, 3))
            sum(h.sum() for h in out_heads).backward()
            opt.step()
            model.zero_grad()
            obj["optimizer_state_dict"] = opt.state_dict()
    torch.save(obj, out, _use_new_zipfile_serialization=(fmt != "legacy"))


def make_test_set(args):
    """The tests' fixture set (see tests/labelers/chexbert/chexbert_fixtures.h), one process."""
    torch.manual_seed(args.seed)
    c = Config(args.vocab_size, args.hidden, args.layers, args.heads, args.intermediate,
               args.max_positions)
    model = random_model(c, args.std)
    d = args.dir
    save(model, d + "/zip.pth", "zip", with_optimizer=True)
    save(model, d + "/legacy.pth", "legacy", with_optimizer=True)
    save(model, d + "/plain.pth", "plain")
    save(model, d + "/bare.pth", "bare")
    save(model, d + "/missing.pth", "zip", drop=["module.bert.encoder.layer.1.output.dense.weight",
                                                 "module.linear_heads.13.bias"])
    save(model, d + "/reshaped.pth", "zip", reshape=["module.linear_heads.3.weight"])
    # For the rrg CLI, which takes BERT's 64-dimensional heads: hidden 128 = 2 heads.
    c = Config(args.vocab_size, 128, args.layers, 2, 256, args.max_positions)
    save(random_model(c, args.std / 2), d + "/cli.pth", "zip", with_optimizer=True)


def load_model(path, heads=None):
    """Reads a checkpoint the way CheXbert's label.py does (strip `module.`); the head count is
    not stored in a checkpoint: BERT releases use 64-dimensional heads (hidden / 64)."""
    ckpt = torch.load(path, map_location="cpu")
    state = ckpt.get("model_state_dict", ckpt)
    state = OrderedDict((k[7:] if k.startswith("module.") else k, v) for k, v in state.items())
    words = state["bert.embeddings.word_embeddings.weight"]
    layers = 1 + max(int(k.split(".")[3]) for k in state if k.startswith("bert.encoder.layer."))
    hidden = words.shape[1]
    c = Config(words.shape[0], hidden, layers, heads or hidden // 64,
               state["bert.encoder.layer.0.intermediate.dense.weight"].shape[0],
               state["bert.embeddings.position_embeddings.weight"].shape[0])
    model = BertLabeler(c)
    model.load_state_dict(state)
    model.eval()
    return model


def run_batch(model, batch_ids):
    lens = [len(x) for x in batch_ids]
    width = max(lens)
    ids = torch.full((len(batch_ids), width), PAD_ID, dtype=torch.long)
    mask = torch.zeros(len(batch_ids), width)
    for i, x in enumerate(batch_ids):
        ids[i, :len(x)] = torch.tensor(x)
        mask[i, :len(x)] = 1.0  # CheXbert utils.generate_attention_masks
    return model(ids, mask)


def flatten_logits(out, i):
    """The 14 heads' logits of report i concatenated: 13 x 4, then No Finding's 2 (54 floats)."""
    return [v for head in out for v in head[i].tolist()]


def run(args):
    model = load_model(args.checkpoint, args.heads)
    ids = json.load(open(args.input))["ids"]
    result = {"logits": [], "cls": [], "labels": []}
    with torch.no_grad():
        for x in ids:
            out, cls = run_batch(model, [x])
            result["logits"].append(flatten_logits(out, 0))
            result["cls"].append(cls[0].tolist())
            result["labels"].append([class_to_label(j, int(out[j][0].argmax()))
                                     for j in range(len(out))])
        worst = 0.0
        for start in range(0, len(ids), 7):
            out, _ = run_batch(model, ids[start:start + 7])
            for i in range(len(out[0])):
                got = flatten_logits(out, i)
                want = result["logits"][start + i]
                worst = max([worst] + [abs(a - b) for a, b in zip(got, want)])
        result["batched_max_abs_diff"] = worst
    json.dump(result, open(args.output, "w"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make-checkpoint")
    m.add_argument("out")
    m.add_argument("--layers", type=int, default=2)
    m.add_argument("--hidden", type=int, default=32)
    m.add_argument("--heads", type=int, default=4)
    m.add_argument("--intermediate", type=int, default=64)
    m.add_argument("--vocab-size", type=int, default=30522)
    m.add_argument("--max-positions", type=int, default=512)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--std", type=float, default=0.5)
    m.add_argument("--format", choices=["zip", "legacy", "plain", "bare"], default="zip")
    m.add_argument("--with-optimizer", action="store_true")
    m.add_argument("--drop", action="append", default=[])
    m.add_argument("--reshape", action="append", default=[])
    t = sub.add_parser("make-test-set")
    t.add_argument("dir")
    for name, default in (("layers", 2), ("hidden", 32), ("heads", 4), ("intermediate", 64),
                          ("vocab-size", 320), ("max-positions", 512), ("seed", 1)):
        t.add_argument("--" + name, type=int, default=default)
    t.add_argument("--std", type=float, default=0.5)
    r = sub.add_parser("run")
    r.add_argument("checkpoint")
    r.add_argument("input")
    r.add_argument("output")
    r.add_argument("--heads", type=int, default=None)
    args = p.parse_args()
    torch.set_num_threads(1)
    if args.cmd == "make-checkpoint":
        make_checkpoint(args)
    elif args.cmd == "make-test-set":
        make_test_set(args)
    else:
        run(args)


if __name__ == "__main__":
    sys.exit(main())
