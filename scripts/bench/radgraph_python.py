#!/usr/bin/python3
"""The python3-torch side of scripts/bench_radgraph.sh: RadGraph's extractor as the `radgraph`
package runs it (each report alone, batch size 1, in input order, under torch.no_grad), with the
plain torch.nn network of tests/labelers/radgraph/radgraph_reference.py on the same weights.th.

    radgraph_python.py CHECKPOINT_DIR TEXTS.json GRAPHS.json THREADS

Times the loop only (preprocessing, word pieces, forward pass, argmax decoding, entity
numbering), not loading; prints {"seconds", "reports", "entities"} and writes the graphs.
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "labelers",
                                "radgraph"))
import radgraph_reference as R  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("texts")
    p.add_argument("graphs")
    p.add_argument("threads", type=int)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    with open(os.path.join(a.out, "args.json")) as f:
        margs = argparse.Namespace(**json.load(f))
    vocab_list = open(os.path.join(a.out, "tokenizer", "vocab.txt")).read().split("\n")[:-1]
    vocab = {t: i for i, t in enumerate(vocab_list)}
    model = R.DyGIE(margs, len(vocab_list))
    model.load_state_dict(torch.load(os.path.join(a.out, "checkpoint", "weights.th")), strict=True)
    model.eval()
    texts = json.load(open(a.texts))

    graphs, entities = [], 0
    start = time.perf_counter()
    with torch.no_grad():
        for text in texts:
            words = R.preprocess(text, margs.dataset)
            pieces, ranges = R.encode(words, vocab)
            spans, ner, _, top, rel = model(pieces, ranges, vocab["[CLS]"], vocab["[SEP]"])
            labels = ner.argmax(1)
            ents = [(s, e, R.NER_LABELS[int(l)]) for (s, e), l in zip(spans, labels) if int(l) != 0]
            best = rel.argmax(-1) - 1
            rels = []
            for i, j in (best >= 0).nonzero().tolist():
                s1, s2 = spans[top[i]], spans[top[j]]
                rels.append((s1[0], s1[1], s2[0], s2[1], R.REL_LABELS[int(best[i, j])]))
            graph = R.get_entity(ents, rels, words)
            entities += len(graph)
            graphs.append({"text": " ".join(words), "entities": graph})
    seconds = time.perf_counter() - start
    with open(a.graphs, "w") as f:
        json.dump(graphs, f)
    print(json.dumps({"seconds": seconds, "reports": len(texts), "entities": entities}))


if __name__ == "__main__":
    main()
