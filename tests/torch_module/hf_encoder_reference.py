#!/usr/bin/python3
"""Plain-torch reference of the Hugging Face BERT-family encoders rrg runs (BERT, DistilBERT,
RoBERTa), the oracle for rrg's libtorch model kind "hf_encoder".

Written from the architecture of HF transformers' BertModel / RobertaModel / DistilBertModel at
inference: a functional forward pass that reads the HF state-dict names directly (no
transformers package, which Debian lacks). It runs with Debian's python3-torch; use
/usr/bin/python3. Subcommands:

  make-folder OUT --arch bert|roberta|distilbert [--layers 3 --hidden 32 --heads 4
              --intermediate 64 --vocab-size 300 --max-positions 64 --pad-id N --seed 1
              --format safetensors|bin --dtype F32|F16|BF16 --bare --gamma-beta
              --model-type NAME --drop KEY --reshape KEY --act gelu|gelu_new|relu]
      writes OUT/config.json and OUT/model.safetensors (written by hand: 8-byte little-endian
      header length, JSON header, raw little-endian data) or OUT/pytorch_model.bin (torch.save),
      with random weights and the architecture's HF prefix ("bert.", "roberta.",
      "distilbert.") unless --bare, plus a pooler / lm_head the encoder must ignore.
      --gamma-beta names LayerNorm parameters gamma/beta (old TF-converted checkpoints).
      --drop / --reshape corrupt one tensor on purpose.
  run OUT IN.json RESULT.json --layer L
      IN = {"ids": [[...], ...]}; RESULT = {"hidden": [[[H floats] per token] per sequence],
      "batched_max_abs_diff": float}: hidden_states[L] of each sequence run alone, and the
      largest difference to the same sequences run as one padded batch with an attention mask.
"""

import argparse
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F

PREFIX = {"bert": "bert.", "roberta": "roberta.", "distilbert": "distilbert."}


def make_config(a):
    if a.arch == "distilbert":
        c = {"model_type": a.model_type or "distilbert", "dim": a.hidden, "n_layers": a.layers,
             "n_heads": a.heads, "hidden_dim": a.intermediate, "vocab_size": a.vocab_size,
             "max_position_embeddings": a.max_positions, "activation": a.act,
             "pad_token_id": 0 if a.pad_id is None else a.pad_id,
             "architectures": ["DistilBertForMaskedLM"]}
    else:
        roberta = a.arch == "roberta"
        c = {"model_type": a.model_type or a.arch, "hidden_size": a.hidden,
             "num_hidden_layers": a.layers, "num_attention_heads": a.heads,
             "intermediate_size": a.intermediate, "vocab_size": a.vocab_size,
             "max_position_embeddings": a.max_positions, "type_vocab_size": 1 if roberta else 2,
             "layer_norm_eps": 1e-5 if roberta else 1e-12, "hidden_act": a.act,
             "pad_token_id": (1 if roberta else 0) if a.pad_id is None else a.pad_id,
             "position_embedding_type": "absolute"}
    c["_name_or_path"] = "rrg-test-" + a.arch
    return c


def random_state_dict(a, c):
    g = torch.Generator().manual_seed(a.seed)

    def rand(*shape, std=0.2):
        return torch.randn(*shape, generator=g) * std

    def ln(name, h, sd):
        sd[name + ".weight"] = 1.0 + rand(h, std=0.1)
        sd[name + ".bias"] = rand(h, std=0.1)

    h, ffn, n = a.hidden, a.intermediate, a.layers
    sd = {}
    sd["embeddings.word_embeddings.weight"] = rand(a.vocab_size, h, std=1.0)
    sd["embeddings.position_embeddings.weight"] = rand(a.max_positions, h, std=0.5)
    if a.arch != "distilbert":
        sd["embeddings.token_type_embeddings.weight"] = rand(c["type_vocab_size"], h, std=0.5)
    ln("embeddings.LayerNorm", h, sd)

    def linear(name, out, inp, sd):
        sd[name + ".weight"] = rand(out, inp, std=1.0 / math.sqrt(inp))
        sd[name + ".bias"] = rand(out, std=0.1)

    for i in range(n):
        if a.arch == "distilbert":
            p = f"transformer.layer.{i}."
            for part in ("q_lin", "k_lin", "v_lin", "out_lin"):
                linear(p + "attention." + part, h, h, sd)
            ln(p + "sa_layer_norm", h, sd)
            linear(p + "ffn.lin1", ffn, h, sd)
            linear(p + "ffn.lin2", h, ffn, sd)
            ln(p + "output_layer_norm", h, sd)
        else:
            p = f"encoder.layer.{i}."
            for part in ("query", "key", "value"):
                linear(p + "attention.self." + part, h, h, sd)
            linear(p + "attention.output.dense", h, h, sd)
            ln(p + "attention.output.LayerNorm", h, sd)
            linear(p + "intermediate.dense", ffn, h, sd)
            linear(p + "output.dense", h, ffn, sd)
            ln(p + "output.LayerNorm", h, sd)
    out = {}
    prefix = "" if a.bare else PREFIX[a.arch]
    for k, v in sd.items():
        if a.gamma_beta and "LayerNorm" in k or a.gamma_beta and "layer_norm" in k:
            k = k.replace(".weight", ".gamma").replace(".bias", ".beta")
        out[prefix + k] = v
    # Heads the encoder must ignore.
    if a.arch == "bert":
        linear(prefix + "pooler.dense", h, h, out)
    elif a.arch == "roberta":
        linear("lm_head.dense", h, h, out)
    else:
        linear("vocab_transform", h, h, out)
    if a.arch != "distilbert":
        out[prefix + "embeddings.position_ids"] = torch.arange(a.max_positions).unsqueeze(0)
    return out


def write_safetensors(path, sd, dtype):
    header, blobs, offset = {}, [], 0
    for name, t in sd.items():
        if t.dtype == torch.int64:
            data, code = t.numpy().astype("<i8").tobytes(), "I64"
        elif dtype == "F32":
            data, code = t.to(torch.float32).numpy().astype("<f4").tobytes(), "F32"
        elif dtype == "F16":
            data, code = t.to(torch.float16).numpy().astype("<f2").tobytes(), "F16"
        else:
            data, code = t.to(torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes(), \
                "BF16"
        header[name] = {"dtype": code, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # the format pads the header with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def rounded(sd, dtype):
    """The weights as the file stores them (F16 / BF16 rounding), back in float32."""
    if dtype == "F32":
        return sd
    target = torch.float16 if dtype == "F16" else torch.bfloat16
    return {k: (v.to(target).to(torch.float32) if v.is_floating_point() else v)
            for k, v in sd.items()}


def make_folder(a):
    import os
    os.makedirs(a.out, exist_ok=True)
    c = make_config(a)
    sd = random_state_dict(a, c)
    for key in a.drop or []:
        del sd[key]
    for key in a.reshape or []:
        sd[key] = sd[key][..., :-1].clone()
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    if a.format == "safetensors":
        write_safetensors(os.path.join(a.out, "model.safetensors"), sd, a.dtype)
    else:
        torch.save(rounded(sd, a.dtype), os.path.join(a.out, "pytorch_model.bin"))


# ---------------------------------------------------------------------------------- forward


def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        raw = data[e["data_offsets"][0]:e["data_offsets"][1]]
        if e["dtype"] == "F32":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f4").copy())
        elif e["dtype"] == "F16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<f2").copy()).to(torch.float32)
        elif e["dtype"] == "BF16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<i2").copy()).view(torch.bfloat16) \
                .to(torch.float32)
        else:
            t = torch.from_numpy(np.frombuffer(raw, dtype="<i8").copy())
        out[name] = t.reshape(e["shape"])
    return out


def load(folder):
    import os
    with open(os.path.join(folder, "config.json")) as f:
        c = json.load(f)
    st = os.path.join(folder, "model.safetensors")
    sd = read_safetensors(st) if os.path.exists(st) else \
        torch.load(os.path.join(folder, "pytorch_model.bin"))
    arch = {"cxr-bert": "bert"}.get(c["model_type"], c["model_type"])
    prefix = PREFIX[arch] if any(k.startswith(PREFIX[arch]) for k in sd) else ""
    fixed = {}
    for k, v in sd.items():
        if k.startswith(prefix):
            k = k[len(prefix):]
        fixed[k.replace(".gamma", ".weight").replace(".beta", ".bias")] = v
    return c, arch, fixed


def act(c, arch, x):
    name = c.get("activation" if arch == "distilbert" else "hidden_act", "gelu")
    if name == "gelu":
        return F.gelu(x)
    if name == "relu":
        return F.relu(x)
    return F.gelu(x, approximate="tanh")


def forward(c, arch, sd, ids, mask, layer):
    """hidden_states[layer] for ids [B, L] with attention mask [B, L] (1 = token)."""
    if arch == "distilbert":
        h, heads, eps = c["dim"], c["n_heads"], 1e-12
    else:
        h, heads, eps = c["hidden_size"], c["num_attention_heads"], c["layer_norm_eps"]
    d = h // heads
    B, L = ids.shape
    if arch == "roberta":
        pad = c["pad_token_id"]
        m = ids.ne(pad).int()
        pos = (torch.cumsum(m, dim=1).type_as(m) * m).long() + pad
    else:
        pos = torch.arange(L).unsqueeze(0).expand(B, L)
    x = F.embedding(ids, sd["embeddings.word_embeddings.weight"]) + \
        F.embedding(pos, sd["embeddings.position_embeddings.weight"])
    if arch != "distilbert":
        x = x + sd["embeddings.token_type_embeddings.weight"][0]
    x = F.layer_norm(x, (h,), sd["embeddings.LayerNorm.weight"], sd["embeddings.LayerNorm.bias"],
                     eps)
    # HF 4.x: (1 - mask) * finfo.min added to the scores.
    bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

    def lin(name, t):
        return F.linear(t, sd[name + ".weight"], sd[name + ".bias"])

    def norm(name, t):
        return F.layer_norm(t, (h,), sd[name + ".weight"], sd[name + ".bias"], eps)

    for i in range(layer):
        if arch == "distilbert":
            p = f"transformer.layer.{i}."
            q, k, v = (lin(p + "attention." + n, x) for n in ("q_lin", "k_lin", "v_lin"))
            names = (p + "attention.out_lin", p + "sa_layer_norm", p + "ffn.lin1",
                     p + "ffn.lin2", p + "output_layer_norm")
        else:
            p = f"encoder.layer.{i}."
            q, k, v = (lin(p + "attention.self." + n, x) for n in ("query", "key", "value"))
            names = (p + "attention.output.dense", p + "attention.output.LayerNorm",
                     p + "intermediate.dense", p + "output.dense", p + "output.LayerNorm")

        def split(t):
            return t.view(B, L, heads, d).permute(0, 2, 1, 3)

        scores = torch.matmul(split(q), split(k).transpose(-1, -2)) / math.sqrt(d) + bias
        ctx = torch.matmul(F.softmax(scores, dim=-1), split(v)).permute(0, 2, 1, 3) \
            .reshape(B, L, h)
        a = norm(names[1], lin(names[0], ctx) + x)
        x = norm(names[4], lin(names[3], act(c, arch, lin(names[2], a))) + a)
    return x


def run(a):
    c, arch, sd = load(a.folder)
    with open(a.input) as f:
        seqs = json.load(f)["ids"]
    layer = a.layer
    alone = []
    with torch.no_grad():
        for s in seqs:
            ids = torch.tensor([s], dtype=torch.long)
            alone.append(forward(c, arch, sd, ids, torch.ones_like(ids), layer)[0])
        pad = c.get("pad_token_id", 0)
        L = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), L), pad, dtype=torch.long)
        mask = torch.zeros((len(seqs), L), dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = torch.tensor(s)
            mask[i, :len(s)] = 1
        batched = forward(c, arch, sd, ids, mask, layer)
    diff = max(float((batched[i, :len(s)] - alone[i]).abs().max()) for i, s in enumerate(seqs))
    with open(a.output, "w") as f:
        json.dump({"hidden": [t.tolist() for t in alone], "batched_max_abs_diff": diff}, f)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make-folder")
    m.add_argument("out")
    m.add_argument("--arch", required=True, choices=["bert", "roberta", "distilbert"])
    m.add_argument("--model-type")
    m.add_argument("--layers", type=int, default=3)
    m.add_argument("--hidden", type=int, default=32)
    m.add_argument("--heads", type=int, default=4)
    m.add_argument("--intermediate", type=int, default=64)
    m.add_argument("--vocab-size", type=int, default=300)
    m.add_argument("--max-positions", type=int, default=64)
    m.add_argument("--pad-id", type=int)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--format", default="safetensors", choices=["safetensors", "bin"])
    m.add_argument("--dtype", default="F32", choices=["F32", "F16", "BF16"])
    m.add_argument("--act", default="gelu")
    m.add_argument("--bare", action="store_true")
    m.add_argument("--gamma-beta", action="store_true")
    m.add_argument("--drop", action="append")
    m.add_argument("--reshape", action="append")
    r = sub.add_parser("run")
    r.add_argument("folder")
    r.add_argument("input")
    r.add_argument("output")
    r.add_argument("--layer", type=int, required=True)
    a = p.parse_args()
    if a.cmd == "make-folder":
        make_folder(a)
    else:
        run(a)


if __name__ == "__main__":
    main()
