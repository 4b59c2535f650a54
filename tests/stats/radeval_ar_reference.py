#!/usr/bin/python3
"""Reference numbers for rrg's paired significance tests, computed the slow Python way.

Run with /usr/bin/python3 (python3-nltk, python3-numpy). Reads a JSON request on stdin (or from
the file named by the first argument) and writes a JSON answer on stdout:

  request  {"references": [text, ...],
            "systems": [{"name": NAME, "outputs": [text, ...]}, ...],  # first = baseline
            "metrics": ["nltk-bleu-4", ...],
            "trials": 200, "seed": 12345,                  # approximate randomization (0 = off)
            "bootstrap": 1000, "ci": 95, "bootstrap_seed": 12345,   # bootstrap (0 = off)
            "keep_replicates": false}
  answer   {"baseline": NAME,
            "scores": {NAME: {METRIC: value}},
            "ar": {NAME: {METRIC: {"count", "radeval", "noreen"}}},   # non-baseline systems
            "bootstrap": {NAME: {METRIC: {"ci_low", "ci_high", "diff_ci_low", "diff_ci_high",
                                           "replicates"?}}}}       # diff_* null for the baseline

Approximate randomization follows the algorithm RadEval's PairedTest documents
(jbdel/RadEval, radeval/utils.py), re-implemented here: one random.Random(seed) for the whole
run; for every non-baseline system in order, for every metric in order, `trials` trials; in a
trial each sample keeps its two outputs when rng.random() < 0.5 and swaps them otherwise, the
metric is recomputed on both randomized lists, and the trial counts when |delta| reaches the
observed |delta|. p = count / trials ("radeval") or (count + 1) / (trials + 1) ("noreen").

The bootstrap draws, for replicate r = 0, 1, ..., np.random.RandomState(bootstrap_seed)
.randint(0, n, size=n) (one call per replicate from one RandomState), recomputes every metric of
every system on the resampled lists, and reports np.percentile(values, [(100 - ci) / 2,
100 - (100 - ci) / 2]) for the values and for the paired differences system - baseline.

Metrics: "nltk-bleu-N" (N = 1..4) is NLTK's corpus_bleu with weights (1/N,)*N,
SmoothingFunction().method1, tokens text.lower().split() and one reference per sample, as rrg's
nltk-bleu metric computes BLEU-N.
"""
import json
import random
import sys
import warnings

import numpy as np
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu

warnings.simplefilter("ignore")  # NLTK warns about zero n-gram counts


def nltk_bleu(order):
    weights = tuple([1 / order] * order)
    smoothing = SmoothingFunction().method1

    def score(hypotheses, references):
        return corpus_bleu([[r] for r in references], hypotheses, weights=weights,
                           smoothing_function=smoothing)

    return score


METRICS = {"nltk-bleu-%d" % n: nltk_bleu(n) for n in range(1, 5)}


def approximate_randomization(systems, references, metrics, trials, seed):
    rng = random.Random(seed)
    baseline = systems[0]["tokens"]
    result = {}
    for system in systems[1:]:
        outputs = system["tokens"]
        result[system["name"]] = {}
        for name in metrics:
            metric = METRICS[name]
            observed = abs(metric(outputs, references) - metric(baseline, references))
            count = 0
            for _ in range(trials):
                randomized_baseline, randomized_system = [], []
                for a, b in zip(baseline, outputs):
                    if rng.random() < 0.5:  # keep
                        randomized_baseline.append(a)
                        randomized_system.append(b)
                    else:  # swap
                        randomized_baseline.append(b)
                        randomized_system.append(a)
                delta = abs(metric(randomized_system, references) -
                            metric(randomized_baseline, references))
                if delta >= observed:
                    count += 1
            result[system["name"]][name] = {"count": count, "radeval": count / trials,
                                            "noreen": (count + 1) / (trials + 1)}
    return result


def bootstrap(systems, references, metrics, replicates, ci, seed, keep):
    n = len(references)
    rs = np.random.RandomState(seed)
    values = {s["name"]: {m: [] for m in metrics} for s in systems}
    for _ in range(replicates):
        idx = rs.randint(0, n, size=n)
        resampled_refs = [references[i] for i in idx]
        for s in systems:
            resampled = [s["tokens"][i] for i in idx]
            for m in metrics:
                values[s["name"]][m].append(METRICS[m](resampled, resampled_refs))
    tail = (100 - ci) / 2
    baseline = systems[0]["name"]
    result = {}
    for s in systems:
        result[s["name"]] = {}
        for m in metrics:
            own = np.array(values[s["name"]][m])
            low, high = np.percentile(own, [tail, 100 - tail])
            entry = {"ci_low": float(low), "ci_high": float(high),
                     "diff_ci_low": None, "diff_ci_high": None}
            if s["name"] != baseline:
                diff = own - np.array(values[baseline][m])
                dlow, dhigh = np.percentile(diff, [tail, 100 - tail])
                entry["diff_ci_low"], entry["diff_ci_high"] = float(dlow), float(dhigh)
            if keep:
                entry["replicates"] = [float(v) for v in own]
            result[s["name"]][m] = entry
    return result


def main():
    request = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    references = [r.lower().split() for r in request["references"]]
    systems = [{"name": s["name"], "tokens": [o.lower().split() for o in s["outputs"]]}
               for s in request["systems"]]
    for s in systems:
        if len(s["tokens"]) != len(references):
            sys.exit("system %s has %d outputs for %d references" %
                     (s["name"], len(s["tokens"]), len(references)))
    metrics = request["metrics"]
    answer = {"baseline": systems[0]["name"],
              "scores": {s["name"]: {m: METRICS[m](s["tokens"], references) for m in metrics}
                         for s in systems}}
    if request.get("trials", 0) > 0:
        answer["ar"] = approximate_randomization(systems, references, metrics,
                                                 request["trials"], request.get("seed", 12345))
    if request.get("bootstrap", 0) > 0:
        answer["bootstrap"] = bootstrap(systems, references, metrics, request["bootstrap"],
                                        request.get("ci", 95),
                                        request.get("bootstrap_seed", request.get("seed", 12345)),
                                        request.get("keep_replicates", False))
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
