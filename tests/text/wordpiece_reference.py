#!/usr/bin/python3
"""Reference tokenizer for rrg's WordPiece: HF BertTokenizer (bert-base-uncased) as CheXbert ran it.

Written from the algorithm of HF transformers 2.5.1 (the version CheXbert's requirements.txt pins;
tokenization_utils.py `PreTrainedTokenizer.tokenize` and tokenization_bert.py `BasicTokenizer`,
`WordpieceTokenizer`) and CheXbert's src/bert_tokenizer.py (`get_impressions_from_csv`,
`tokenize`). Only the Python standard library is used, so the test runs anywhere /usr/bin/python3
does; the interpreter's unicodedata (Unicode 14.0 on Debian 12) is the source of truth.

  wordpiece_reference.py [--mode chexbert|tokens|basic] [--cased] [--strip-accents yes|no]
                         [--no-chinese] [VOCAB.txt] < texts.jsonl > out.jsonl

--cased, --strip-accents and --no-chinese are BertTokenizer's do_lower_case=False,
strip_accents=True/False and tokenize_chinese_chars=False (transformers 4.x semantics: with
do_lower_case, accents are stripped unless strip_accents is False; without it, only when True).

stdin: one JSON string per line. stdout: one JSON object per line:
  chexbert (default)  {"clean": CheXbert-preprocessed text, "tokens": [...],
                       "ids": [CLS ... SEP, truncated to 512 like CheXbert]}
  tokens              {"tokens": BertTokenizer.tokenize(text)}
  basic               {"words": the words before WordPiece (special tokens kept whole)}
(basic needs no vocabulary.)
"""

import json
import re
import sys
import unicodedata

SPECIAL = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"]
MAX_CHARS_PER_WORD = 100
MAX_LEN = 512
OPTIONS = {"lower": True, "strip_accents": None, "chinese": True}


def chexbert_clean(text):
    """bert_tokenizer.get_impressions_from_csv: strip, '\\n' -> ' ', \\s+ -> ' ', strip."""
    text = text.strip()
    text = text.replace("\n", " ")
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def lowercase_outside_specials(text):
    """PreTrainedTokenizer.tokenize with do_lower_case: every character that is not part of a
    special token is lower-cased on its own (regex `(special|...)|(.+?)`, one char per match;
    `.` skips '\\n')."""
    out = []
    i = 0
    while i < len(text):
        for tok in SPECIAL:
            if text.startswith(tok, i):
                out.append(tok)
                i += len(tok)
                break
        else:
            ch = text[i]
            out.append(ch if ch == "\n" else ch.lower())
            i += 1
    return "".join(out)


def split_specials(text):
    """Pieces of `text`: special tokens alone, other pieces stripped and non-empty."""
    pieces = [text]
    for tok in SPECIAL:
        nxt = []
        for piece in pieces:
            if piece in SPECIAL:
                nxt.append(piece)
                continue
            parts = piece.split(tok)
            for k, part in enumerate(parts):
                part = part.strip()
                if part:
                    nxt.append(part)
                if k < len(parts) - 1:
                    nxt.append(tok)
        pieces = nxt
    return pieces


def basic_tokenize(text):
    text = "".join(" " if is_whitespace(ch) else ch for ch in text
                   if not (ord(ch) == 0 or ord(ch) == 0xFFFD or is_control(ch)))
    if OPTIONS["chinese"]:
        text = "".join(" " + ch + " " if is_cjk(ord(ch)) else ch for ch in text)
    out = []
    for token in text.strip().split():
        if token not in SPECIAL:
            if OPTIONS["lower"]:
                token = token.lower()
                strip = OPTIONS["strip_accents"] is not False
            else:
                strip = OPTIONS["strip_accents"] is True
            if strip:
                token = "".join(ch for ch in unicodedata.normalize("NFD", token)
                                if unicodedata.category(ch) != "Mn")
            word = []
            for ch in token:
                if is_punctuation(ch):
                    if word:
                        out.append("".join(word))
                        word = []
                    out.append(ch)
                else:
                    word.append(ch)
            if word:
                out.append("".join(word))
        else:
            out.append(token)
    return " ".join(out).strip().split()


def wordpiece(token, vocab):
    if len(token) > MAX_CHARS_PER_WORD:
        return ["[UNK]"]
    pieces = []
    start = 0
    while start < len(token):
        end = len(token)
        found = None
        while start < end:
            sub = token[start:end]
            if start > 0:
                sub = "##" + sub
            if sub in vocab:
                found = sub
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def basic_words(text):
    """PreTrainedTokenizer.tokenize up to (not including) WordPiece."""
    if OPTIONS["lower"]:
        text = lowercase_outside_specials(text)
    if not text.strip():
        return []
    words = []
    for piece in split_specials(text):
        words.extend([piece] if piece in SPECIAL else basic_tokenize(piece))
    return words


def tokenize(text, vocab):
    tokens = []
    for word in basic_words(text):
        tokens.extend([word] if word in SPECIAL else wordpiece(word, vocab))
    return tokens


def encode(text, vocab):
    tokens = tokenize(text, vocab)
    if not tokens:
        return tokens, [vocab["[CLS]"], vocab["[SEP]"]]
    ids = [vocab["[CLS]"]] + [vocab.get(t, vocab["[UNK]"]) for t in tokens] + [vocab["[SEP]"]]
    if len(ids) > MAX_LEN:
        ids = ids[:MAX_LEN - 1] + [vocab["[SEP]"]]
    return tokens, ids


def main():
    args = sys.argv[1:]
    mode = "chexbert"
    while args and args[0].startswith("--"):
        if args[0] == "--mode":
            mode, args = args[1], args[2:]
        elif args[0] == "--cased":
            OPTIONS["lower"], args = False, args[1:]
        elif args[0] == "--strip-accents":
            OPTIONS["strip_accents"], args = args[1] == "yes", args[2:]
        elif args[0] == "--no-chinese":
            OPTIONS["chinese"], args = False, args[1:]
        else:
            sys.exit("unknown option " + args[0])
    # tokenization_bert.load_vocab: text-mode lines, a repeated token keeps its last index.
    vocab = {}
    if mode != "basic":
        with open(args[0], encoding="utf-8") as f:
            for i, line in enumerate(f):
                vocab[line.rstrip("\n")] = i
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)
        if mode == "basic":
            out = {"words": basic_words(text)}
        elif mode == "tokens":
            out = {"tokens": tokenize(text, vocab)}
        else:
            clean = chexbert_clean(text)
            tokens, ids = encode(clean, vocab)
            out = {"clean": clean, "tokens": tokens, "ids": ids}
        print(json.dumps(out))


if __name__ == "__main__":
    main()
