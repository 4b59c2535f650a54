#!/usr/bin/python3
"""The original CheXbert labelling loop, for scripts/bench_chexbert.sh.

Reproduces what stanfordmlgroup/CheXbert's label.py does on CPU, with the plain-torch model of
tests/labelers/chexbert/chexbert_reference.py and the tokenizer of tests/text/wordpiece_reference.py:
every report in input order, batches of 18 (constants.BATCH_SIZE) padded to their longest report
(collate_fn_no_labels), attention masks from the lengths, argmax per head. Then the same loop with
the reports sorted by length (the best a Python user can do without changing CheXbert).

  chexbert_python_loop.py CHECKPOINT VOCAB REPORTS.txt THREADS OUT.json

REPORTS.txt: one JSON string per line. Prints one line per variant and writes
{"original": {...}, "sorted": {...}, "labels": [[14 CheXbert labels] per report], "tokens": real
tokens of all reports, "distinct_tokens": of the distinct preprocessed texts} to OUT.json,
where each variant has "seconds" (the labelling loop only, as rrg's model time) and
"reports_per_s".
"""

import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "labelers", "chexbert"))
sys.path.insert(0, os.path.join(ROOT, "tests", "text"))

import torch  # noqa: E402

import chexbert_reference as model_ref  # noqa: E402
import wordpiece_reference as tok_ref  # noqa: E402

BATCH_SIZE = 18  # CheXbert constants.BATCH_SIZE


def main():
    checkpoint, vocab_path, reports_path, threads, out_path = sys.argv[1:6]
    torch.set_num_threads(int(threads))
    vocab = {}
    with open(vocab_path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            vocab[line.rstrip("\n")] = i
    with open(reports_path, encoding="utf-8") as f:
        reports = [json.loads(line) for line in f if line.strip()]
    clean = [tok_ref.chexbert_clean(r) for r in reports]
    ids = [tok_ref.encode(c, vocab)[1] for c in clean]
    model = model_ref.load_model(checkpoint)

    def loop(order):
        labels = [None] * len(order)
        start = time.perf_counter()
        with torch.no_grad():
            for b in range(0, len(order), BATCH_SIZE):
                idx = order[b:b + BATCH_SIZE]
                out, _ = model_ref.run_batch(model, [ids[i] for i in idx])
                for row, i in enumerate(idx):
                    labels[i] = [model_ref.class_to_label(h, int(out[h][row].argmax()))
                                 for h in range(len(out))]
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "reports_per_s": len(order) / seconds}, labels

    result = {}
    result["original"], labels = loop(list(range(len(ids))))
    result["sorted"], _ = loop(sorted(range(len(ids)), key=lambda i: len(ids[i])))
    real = sum(len(x) for x in ids)
    padded = sum(max(len(ids[i]) for i in range(b, min(b + BATCH_SIZE, len(ids))))
                 * (min(b + BATCH_SIZE, len(ids)) - b) for b in range(0, len(ids), BATCH_SIZE))
    result["real_token_share_original"] = real / padded
    result["labels"] = labels
    # Tokens per report and per distinct preprocessed text (what rrg runs), for tokens/s.
    result["tokens"] = real
    result["distinct_tokens"] = sum(len(ids[i]) for i in {c: i for i, c in enumerate(clean)}.values())
    for name in ("original", "sorted"):
        print(f"python {name:8s} loop: {result[name]['reports_per_s']:7.2f} reports/s "
              f"({result[name]['seconds']:.1f} s)")
    print(f"python original loop: {100 * real / padded:.0f}% of the padded tokens are real")
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
