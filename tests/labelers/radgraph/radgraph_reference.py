#!/usr/bin/python3
"""Plain-torch reference of RadGraph's extractor (DyGIE++ as the `radgraph` package runs it),
the oracle for rrg's "radgraph" model kind and src/labelers/radgraph/.

Written from the architecture of radgraph/dygie (DyGIE, NERTagger, RelationExtractor, Pruner)
and AllenNLP's pretrained_transformer_mismatched embedder, EndpointSpanExtractor and
FeedForward, as torch.nn modules whose parameter names are the real weights.th names. Runs with
Debian's python3-torch (/usr/bin/python3). Subcommands:

  make OUT [--hidden 32 --layers 2 --heads 4 --intermediate 48 --width 4 --feature 8
            --ff-hidden 16 --ff-layers 2 --spw 0.5 --max-length 16 --dataset radgraph
            --seed 1 --scale 0.5 --ner-shift 0 --rel-shift 0 --archive --vocab-file V]
      writes OUT/checkpoint/{config.json, weights.th, vocabulary/} (AllenNLP's archive
      layout, with unused _coref/_events/pooler tensors as in the real checkpoints) and
      OUT/tokenizer/vocab.txt; --archive also writes OUT/model.tar.gz.
  run OUT TEXTS.json RESULT.json
      RESULT = [{"words", "ner" [S][n], "top" [K], "relations" [K][K][R+1], "graph"}] per text,
      each report run alone (batch size 1, as the package runs them).
"""

import argparse
import json
import math
import os
import re
import sys
import tarfile

import torch
import torch.nn as nn
import torch.nn.functional as F

NER_LABELS = ["", "ANAT-DP", "OBS-DP", "OBS-U", "OBS-DA"]
REL_LABELS = ["modify", "located_at", "suggestive_of"]
WORDS = ["no", "acute", "cardio", "##pulmonary", "process", "lung", "##s", "are", "clear",
         "there", "is", "mild", "pulmonary", "edema", "effusion", "pleural", "heart", "size",
         "normal", "left", "right", "lower", "lobe", "opacity", "may", "represent",
         "atelectasis", "or", "pneumonia", "tube", "cm", "above", "car", "##ina", "the", "of",
         "and", "with", "a", "hiatal", "hernia", "moderate", "un", "##changed", "since", "prior",
         "2", "5", "%", ".", ",", ":", "/", "(", ")", "-", "'", "`", "!", "?", "##e", "##d", "##a",
         "##t", "##i", "##n", "##o", "##r", "##l", "e", "t", "s", "i", "n", "o", "r", "l",
         "d", "##c", "c", "m", "##m", "p", "##p", "b", "##b", "x", "##x"]
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


# ---------------------------------------------------------------- network (torch.nn)

class Bert(nn.Module):
    def __init__(self, vocab, hidden, layers, heads, intermediate, positions):
        super().__init__()
        self.heads = heads
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(vocab, hidden)
        self.embeddings.position_embeddings = nn.Embedding(positions, hidden)
        self.embeddings.token_type_embeddings = nn.Embedding(2, hidden)
        self.embeddings.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList()
        for _ in range(layers):
            l = nn.Module()
            l.attention = nn.Module()
            l.attention.self = nn.Module()
            l.attention.self.query = nn.Linear(hidden, hidden)
            l.attention.self.key = nn.Linear(hidden, hidden)
            l.attention.self.value = nn.Linear(hidden, hidden)
            l.attention.output = nn.Module()
            l.attention.output.dense = nn.Linear(hidden, hidden)
            l.attention.output.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
            l.intermediate = nn.Module()
            l.intermediate.dense = nn.Linear(hidden, intermediate)
            l.output = nn.Module()
            l.output.dense = nn.Linear(intermediate, hidden)
            l.output.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
            self.encoder.layer.append(l)
        self.pooler = nn.Module()
        self.pooler.dense = nn.Linear(hidden, hidden)

    def forward(self, ids, mask):
        b, n = ids.shape
        e = self.embeddings
        x = e.word_embeddings(ids) + e.position_embeddings(torch.arange(n).unsqueeze(0)) + \
            e.token_type_embeddings(torch.zeros_like(ids))
        x = e.LayerNorm(x)
        bias = (1.0 - mask.float())[:, None, None, :] * -10000.0
        hd = x.shape[-1] // self.heads
        for l in self.encoder.layer:
            def split(t):
                return t.view(b, n, self.heads, hd).permute(0, 2, 1, 3)
            q = split(l.attention.self.query(x))
            k = split(l.attention.self.key(x))
            v = split(l.attention.self.value(x))
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias, -1) @ v
            a = a.permute(0, 2, 1, 3).reshape(b, n, -1)
            a = l.attention.output.LayerNorm(l.attention.output.dense(a) + x)
            x = l.output.LayerNorm(l.output.dense(F.gelu(l.intermediate.dense(a))) + a)
        return x


class FeedForward(nn.Module):  # AllenNLP FeedForward, ReLU after every layer
    def __init__(self, d_in, layers, hidden):
        super().__init__()
        dims = [d_in] + [hidden] * layers
        self._linear_layers = nn.ModuleList(nn.Linear(dims[i], dims[i + 1]) for i in range(layers))

    def forward(self, x):
        for l in self._linear_layers:
            x = F.relu(l(x))
        return x


class TimeDistributed(nn.Module):
    def __init__(self, m):
        super().__init__()
        self._module = m

    def forward(self, x):
        return self._module(x)


def scorer(d_in, a, out):
    return nn.Sequential(TimeDistributed(FeedForward(d_in, a.ff_layers, a.ff_hidden)),
                         TimeDistributed(nn.Linear(a.ff_hidden, out)))


class DyGIE(nn.Module):
    def __init__(self, a, vocab_size):
        super().__init__()
        ns = a.dataset
        self._embedder = nn.Module()
        self._embedder.token_embedder_bert = nn.Module()
        self._embedder.token_embedder_bert._matched_embedder = nn.Module()
        self._embedder.token_embedder_bert._matched_embedder.transformer_model = Bert(
            vocab_size, a.hidden, a.layers, a.heads, a.intermediate, a.max_length)
        self._endpoint_span_extractor = nn.Module()
        self._endpoint_span_extractor._span_width_embedding = nn.Embedding(a.width, a.feature)
        d = 2 * a.hidden + a.feature
        self._ner = nn.Module()
        self._ner._ner_scorers = nn.ModuleDict({ns + "__ner_labels": scorer(d, a, len(NER_LABELS) - 1)})
        self._relation = nn.Module()
        pr = nn.Module()
        pr._scorer = scorer(d, a, 1)
        self._relation._mention_pruners = nn.ModuleDict({ns + "__relation_labels": pr})
        self._relation._relation_feedforwards = nn.ModuleDict(
            {ns + "__relation_labels": FeedForward(3 * d, a.ff_layers, a.ff_hidden)})
        self._relation._relation_scorers = nn.ModuleDict(
            {ns + "__relation_labels": nn.Linear(a.ff_hidden, len(REL_LABELS))})
        # Present in the real weights.th (strict load), unused at inference.
        self._coref = nn.Module()
        self._coref._antecedent_scorers = nn.ModuleDict({ns: nn.Linear(4, 1)})
        self._events = nn.Module()
        self._events._trigger_scorers = nn.ModuleDict({ns: nn.Linear(4, 2)})
        self.ns = ns
        self.a = a

    def word_vectors(self, pieces, ranges, cls_id, sep_id):
        """Mismatched embedder: AllenNLP's fold of "[CLS] c1 [SEP] [CLS] c2 [SEP]" into
        max_length rows, unfold, then the mean of each word's pieces."""
        bert = self._embedder.token_embedder_bert._matched_embedder.transformer_model
        L = self.a.max_length
        chunk = L - 2
        segments = [pieces[i:i + chunk] for i in range(0, len(pieces), chunk)] or [[]]
        concat = []
        for s in segments:
            concat += [cls_id] + s + [sep_id]
        ids = torch.tensor(concat)
        mask = torch.ones(len(concat), dtype=torch.long)
        if len(concat) > L:
            pad = math.ceil(len(concat) / L) * L - len(concat)
            ids = F.pad(ids, [0, pad]).view(-1, L)
            mask = F.pad(mask, [0, pad]).view(-1, L)
        else:
            ids, mask = ids.view(1, -1), mask.view(1, -1)
        h = bert(ids, mask)
        # Unfold: drop the segment-level [CLS]/[SEP], keep the first [CLS] (offsets count it).
        content = []
        for r in range(h.shape[0]):
            n = int(mask[r].sum())
            if n >= 2:
                content.append(h[r, 1:n - 1])
        content = torch.cat([h[0, :1]] + content, 0)
        out = torch.zeros(len(ranges), h.shape[-1])
        for w, (s, e) in enumerate(ranges):
            if s < 0:
                continue
            sel = content[1 + s:2 + e]
            out[w] = sel.sum(0) / max(1, sel.shape[0])
        return out

    def forward(self, pieces, ranges, cls_id, sep_id):
        x = self.word_vectors(pieces, ranges, cls_id, sep_id)
        n = len(ranges)
        spans = [(s, e) for s in range(n) for e in range(s, min(n, s + self.a.width))]
        st = torch.tensor([s for s, _ in spans])
        en = torch.tensor([e for _, e in spans])
        emb = torch.cat([x[st], x[en],
                         self._endpoint_span_extractor._span_width_embedding(en - st)], -1)
        emb = emb.unsqueeze(0)  # (1, S, D)
        ner = self._ner._ner_scorers[self.ns + "__ner_labels"](emb)
        ner = torch.cat([torch.zeros(1, ner.shape[1], 1), ner], -1)[0]
        rk = self.ns + "__relation_labels"
        mention = self._relation._mention_pruners[rk]._scorer(emb)  # (1, S, 1)
        keep = torch.ceil(torch.tensor([n]).float() * self.a.spw).long()
        k = max(int(keep.max().item()), 1)
        _, top = mention.topk(k, 1)
        top, _ = torch.sort(top.squeeze(-1), 1)
        top = top[0]
        te = emb[0, top]
        ts = mention[0, top]  # (K, 1)
        e1 = te.unsqueeze(1).repeat(1, k, 1)
        e2 = te.unsqueeze(0).repeat(k, 1, 1)
        pairs = torch.cat([e1, e2, e1 * e2], -1).view(k * k, -1)
        rel = self._relation._relation_scorers[rk](
            self._relation._relation_feedforwards[rk](pairs)).view(k, k, -1)
        rel = rel + ts.unsqueeze(-1) + ts.t().unsqueeze(-1)
        rel = torch.cat([torch.zeros(k, k, 1), rel], -1)
        return spans, ner, mention[0, :, 0], top.tolist(), rel


# ---------------------------------------------------------------- text

def preprocess(text, dataset):
    if not text:
        text = "None"
    if dataset == "radgraph":
        return re.sub("(?<! )(?=[/,-,:,.,!?()])|(?<=[/,-,:,.,!?()])(?! )", r" ", text).split()
    t = text.replace("\\n", "  ").replace("\\f", "  ").replace("\\u2122", "      ")
    t = t.replace("\n", " ").replace("\\\"", "``")
    t = re.sub(r"\s+", " ", t)
    t = " ".join(re.findall(r"\w+|[^\w\s]+", t))  # nltk wordpunct_tokenize
    for a, b in [(").", ") ."), ("%.", "% ."), (".'", ". '"), ("%,", "% ,"), ("%)", "% )")]:
        t = t.replace(a, b)
    return t.split()


def wordpiece(word, vocab):
    """BertTokenizer on one word (ASCII): lower-case, split punctuation, greedy longest match."""
    out = []
    word = word.lower()
    parts = re.findall(r"[a-z0-9]+|[^a-z0-9\s]", word)
    for p in parts:
        start, pieces = 0, []
        while start < len(p):
            end, cur = len(p), None
            while start < end:
                sub = p[start:end] if start == 0 else "##" + p[start:end]
                if sub in vocab:
                    cur = sub
                    break
                end -= 1
            if cur is None:
                pieces = ["[UNK]"]
                break
            pieces.append(cur)
            start = end
        out += [vocab[x] for x in pieces]
    return out


def get_entity(ner, rels, words):
    d = {}
    rel_list = [list(r[0:2]) for r in rels]
    ner_list = [list(x[0:2]) for x in ner]
    for idx, (s, e, label) in enumerate(ner):
        rl = []
        for i, v in enumerate(rel_list):
            if v != [s, e]:
                continue
            obj = list(rels[i][2:4])
            if obj in ner_list:
                rl.append([rels[i][4], str(ner_list.index(obj) + 1)])
        d[str(idx + 1)] = {"tokens": " ".join(words[s:e + 1]), "label": label,
                           "start_ix": s, "end_ix": e, "relations": rl}
    return d


# ---------------------------------------------------------------- commands

CALIBRATION = ("There is mild pulmonary edema and a small left pleural effusion; the heart size is "
               "normal, no pneumonia. Tube 5 cm above the carina, unchanged since prior.")


def encode(words, vocab):
    pieces, ranges = [], []
    for w in words:
        ids = wordpiece(w, vocab)
        if ids:
            ranges.append((len(pieces), len(pieces) + len(ids) - 1))
            pieces += ids
        else:
            ranges.append((-1, -1))
    return pieces, ranges


def calibrate(model, vocab, a):
    """Moves the output biases of random weights so that the decisions are mixed, as in a
    trained model: about half of the spans null, kept spans' mention scores near 0, and about
    half of the kept pairs without relation."""
    pieces, ranges = encode(preprocess(CALIBRATION, a.dataset), vocab)
    ner_out = model._ner._ner_scorers[a.dataset + "__ner_labels"][1]._module
    mention_out = model._relation._mention_pruners[a.dataset + "__relation_labels"]._scorer[1]._module
    rel_out = model._relation._relation_scorers[a.dataset + "__relation_labels"]
    _, ner, mention, top, _ = model(pieces, ranges, vocab["[CLS]"], vocab["[SEP]"])
    ner_out.bias -= ner[:, 1:].max(1).values.median() + a.ner_shift
    mention_out.bias -= mention[top].mean()
    _, _, _, _, rel = model(pieces, ranges, vocab["[CLS]"], vocab["[SEP]"])
    rel_out.bias -= rel[..., 1:].max(-1).values.median() + a.rel_shift


def make(a):
    torch.manual_seed(a.seed)
    vocab_list = SPECIAL + WORDS
    if a.vocab_file:  # a real BERT vocabulary (benchmarks: real word-piece counts)
        vocab_list = open(a.vocab_file, encoding="utf-8").read().split("\n")
        if vocab_list[-1] == "":
            vocab_list = vocab_list[:-1]
    vocab = {t: i for i, t in enumerate(vocab_list)}
    model = DyGIE(a, len(vocab_list))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight"):  # keep the tokens distinct through the layers
                p.uniform_(0.5, 1.5)
            elif name.endswith("LayerNorm.bias"):
                p.uniform_(-0.1, 0.1)
            elif p.dim() == 2 and "embedding" not in name:
                # Linear weights scaled by fan-in, so activations stay of order 1.
                bound = a.scale * math.sqrt(3.0 / p.shape[1]) * 2
                p.uniform_(-bound, bound)
            else:
                p.uniform_(-a.scale, a.scale)
        calibrate(model, vocab, a)
    ck = os.path.join(a.out, "checkpoint")
    os.makedirs(os.path.join(ck, "vocabulary"), exist_ok=True)
    torch.save(model.state_dict(), os.path.join(ck, "weights.th"))
    bert = {"type": "pretrained_transformer_mismatched", "model_name": "rrg-test/tiny-bert",
            "max_length": a.max_length}
    config = {
        "dataset_reader": {"type": "dygie", "max_span_width": a.width,
                           "token_indexers": {"bert": dict(bert)}},
        "model": {"type": "dygie", "embedder": {"token_embedders": {"bert": dict(bert)}},
                  "feature_size": a.feature, "max_span_width": a.width, "target_task": "relation",
                  "feedforward_params": {"num_layers": a.ff_layers, "hidden_dims": a.ff_hidden,
                                         "dropout": 0.4},
                  "loss_weights": {"ner": 1.0, "relation": 1.0, "coref": 0.0, "events": 0.0},
                  "modules": {"coref": {"spans_per_word": 0.3, "max_antecedents": 100,
                                        "coref_prop": 0},
                              "ner": {},
                              "relation": {"spans_per_word": a.spw},
                              "events": {}}},
    }
    with open(os.path.join(ck, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    voc = os.path.join(ck, "vocabulary")
    with open(os.path.join(voc, a.dataset + "__ner_labels.txt"), "w") as f:
        f.write("\n".join(NER_LABELS) + "\n")
    with open(os.path.join(voc, a.dataset + "__relation_labels.txt"), "w") as f:
        f.write("\n".join(REL_LABELS) + "\n")
    with open(os.path.join(voc, "non_padded_namespaces.txt"), "w") as f:
        f.write("*tags\n*labels\n")
    tok = os.path.join(a.out, "tokenizer")
    os.makedirs(tok, exist_ok=True)
    with open(os.path.join(tok, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab_list) + "\n")
    # The encoder's Hugging Face config (the tokenizer folder is a snapshot of the encoder).
    with open(os.path.join(tok, "config.json"), "w") as f:
        json.dump({"model_type": "bert", "hidden_size": a.hidden, "num_hidden_layers": a.layers,
                   "num_attention_heads": a.heads, "intermediate_size": a.intermediate,
                   "vocab_size": len(vocab_list), "max_position_embeddings": a.max_length,
                   "layer_norm_eps": 1e-12, "hidden_act": "gelu"}, f)
    with open(os.path.join(tok, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True}, f)
    with open(os.path.join(a.out, "args.json"), "w") as f:
        json.dump(vars(a), f)
    if a.archive:
        with tarfile.open(os.path.join(a.out, "model.tar.gz"), "w:gz") as t:
            for name in ["config.json", "weights.th", "vocabulary"]:
                t.add(os.path.join(ck, name), arcname=name)


def run(a):
    with open(os.path.join(a.out, "args.json")) as f:
        margs = argparse.Namespace(**json.load(f))
    vocab_list = open(os.path.join(a.out, "tokenizer", "vocab.txt")).read().split("\n")[:-1]
    vocab = {t: i for i, t in enumerate(vocab_list)}
    model = DyGIE(margs, len(vocab_list))
    sd = torch.load(os.path.join(a.out, "checkpoint", "weights.th"))
    model.load_state_dict(sd, strict=True)
    model.eval()
    texts = json.load(open(a.texts))
    results = []
    with torch.no_grad():
        for text in texts:
            words = preprocess(text, margs.dataset)
            pieces, ranges = encode(words, vocab)
            if not words:
                results.append({"words": [], "pieces": [], "ranges": [], "ner": [], "top": [], "relations": [],
                                "graph": {"text": "", "entities": {}}})
                continue
            spans, ner, mention, top, rel = model(pieces, ranges, vocab["[CLS]"], vocab["[SEP]"])
            labels = ner.argmax(1)
            ents = [(s, e, NER_LABELS[int(l)]) for (s, e), l in zip(spans, labels) if int(l) != 0]
            rl = rel.argmax(-1) - 1
            rels = []
            for i, j in (rl >= 0).nonzero().tolist():
                s1, s2 = spans[top[i]], spans[top[j]]
                rels.append((s1[0], s1[1], s2[0], s2[1], REL_LABELS[int(rl[i, j])]))
            results.append({"words": words, "pieces": pieces, "ranges": ranges,
                            "ner": ner.tolist(), "mention": mention.tolist(),
                            "top": top, "relations": rel.tolist(),
                            "graph": {"text": " ".join(words),
                                      "entities": get_entity(ents, rels, words)}})
    with open(a.result, "w") as f:
        json.dump(results, f)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("out")
    for name, default in [("hidden", 32), ("layers", 2), ("heads", 4), ("intermediate", 48),
                          ("width", 4), ("feature", 8), ("ff_hidden", 16), ("ff_layers", 2),
                          ("max_length", 16), ("seed", 1)]:
        m.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    m.add_argument("--spw", type=float, default=0.5)
    m.add_argument("--scale", type=float, default=0.5)
    m.add_argument("--ner-shift", type=float, default=0.0)
    m.add_argument("--rel-shift", type=float, default=0.0)
    m.add_argument("--dataset", default="radgraph")
    m.add_argument("--archive", action="store_true")
    m.add_argument("--vocab-file", default="")
    r = sub.add_parser("run")
    r.add_argument("out")
    r.add_argument("texts")
    r.add_argument("result")
    a = p.parse_args()
    make(a) if a.cmd == "make" else run(a)


if __name__ == "__main__":
    main()
