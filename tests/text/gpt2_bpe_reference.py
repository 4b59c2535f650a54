#!/usr/bin/python3
"""Reference byte-level BPE: the algorithm of HF's GPT2Tokenizer / RobertaTokenizer (slow), which
bert_score runs, written from OpenAI's GPT-2 encoder.py design with the Python `regex` module
(Debian python3-regex) for the pre-tokenization pattern -- the engine HF uses.

  gpt2_bpe_reference.py VOCAB.json MERGES.txt < texts.jsonl > out.jsonl   # {"pieces", "ids"}
  gpt2_bpe_reference.py --pieces < texts.jsonl > out.jsonl                # {"pieces"} only

stdin: one JSON string per line; stdout: one JSON object per line.
"""

import json
import sys

import regex

PATTERN = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def byte_symbols():
    """bytes_to_unicode(): printable Latin-1 bytes stand for themselves, the rest for 256 + n."""
    keep = set(range(0x21, 0x7F)) | set(range(0xA1, 0xAD)) | set(range(0xAE, 0x100))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def bpe(symbols, ranks):
    word = list(symbols)
    while len(word) > 1:
        candidates = [(ranks.get((word[i], word[i + 1])), i) for i in range(len(word) - 1)]
        candidates = [c for c in candidates if c[0] is not None]
        if not candidates:
            break
        first, second = word[min(candidates)[1]], word[min(candidates)[1] + 1]
        merged, i = [], 0
        while i < len(word):
            if i + 1 < len(word) and word[i] == first and word[i + 1] == second:
                merged.append(first + second)
                i += 2
            else:
                merged.append(word[i])
                i += 1
        word = merged
    return word


def main():
    args = sys.argv[1:]
    pieces_only = args[:1] == ["--pieces"]
    if not pieces_only:
        with open(args[0], encoding="utf-8") as f:
            vocab = json.load(f)
        with open(args[1], encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[0].startswith("#version"):
            lines = lines[1:]
        ranks = {}
        for line in lines:
            if line:
                left, right = line.split(" ")
                ranks.setdefault((left, right), len(ranks))
    symbols = byte_symbols()
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)
        pieces = PATTERN.findall(text)
        out = {"pieces": pieces}
        if not pieces_only:
            ids = []
            for piece in pieces:
                mapped = "".join(symbols[b] for b in piece.encode("utf-8"))
                ids.extend(vocab[t] for t in bpe(mapped, ranks))
            out["ids"] = ids
        print(json.dumps(out))


if __name__ == "__main__":
    main()
