#!/usr/bin/python3
"""Test-time oracle of rrg's RadGraph metrics, written from the reference code's behaviour:

- F1RadGraph's reward levels (Stanford-AIMI/radgraph radgraph/rewards.py and F1RadGraph.forward
  in radgraph/radgraph.py): per level a set of items per graph, F1 of the two sets; 0 when either
  graph has no entity, 0 when either text is the empty string; the corpus value np.mean.
- RadCliQ's RadGraph score (rajpurkarlab/CXR-Report-Metric radgraph_evaluate_model.py,
  jbdel/RadEval radgraph_radcliq.py): mean of entity F1 and relation F1; corpus sum/len.
- RadCliQ-v1 (CXR-Report-Metric run_eval.py CompositeMetric, RadEval RadCliQv1/radcliq.py):
  StandardScaler transform, append 1, matrix product with the coefficients; corpus 1/mean.

Reads one JSON request on stdin, writes the answer on stdout:
  {"mode": "rewards", "cases": [{"hypothesis": <annotation>, "reference": <annotation>}, ...]}
    -> {"samples": [{"simple", "partial", "complete", "entity_f1", "relation_f1", "radcliq"}],
        "mean": {"simple", "partial", "complete", "radcliq"}}
  {"mode": "radcliq", "model": "radeval" | "cxr-report-metric",
   "features": [[radgraph, bertscore, semb, bleu], ...]}
    -> {"samples": [...], "corpus": 1/mean}
Exit status 77 when numpy is missing.
"""
import json
import sys

try:
    import numpy as np
except ImportError as error:  # pragma: no cover
    sys.stderr.write(f"numpy unavailable: {error}\n")
    sys.exit(77)


def f1_from_sets(hyp, ref):
    """2PR/(P+R) as both reference implementations write it."""
    common = len(hyp & ref)
    p = common / len(hyp) if hyp else 0.0
    r = common / len(ref) if ref else 0.0
    return 2 * p * r / (p + r) if (p + r) > 0 else 0.0


def entities_of(annotation):
    return list(annotation["entities"].values())


def simple_items(annotation):
    return {("entity", e["tokens"].lower(), e["label"]) for e in entities_of(annotation)}


def partial_items(annotation):
    items = set()
    for e in entities_of(annotation):
        if e["relations"]:
            items.add(("related-entity", e["tokens"].lower(), e["label"]))
        else:
            items.add(("entity", e["tokens"].lower(), e["label"]))
    return items


def complete_items(annotation):
    table = annotation["entities"]
    items = set()
    for e in entities_of(annotation):
        if not e["relations"]:
            items.add(("entity", e["tokens"].lower(), e["label"]))
            continue
        for kind, target in e["relations"]:
            items.add(("relation", e["tokens"].lower(), e["label"], kind,
                       table[target]["tokens"].lower()))
    return items


def reward_levels(hyp, ref):
    if not hyp["entities"] or not ref["entities"]:
        return 0.0, 0.0, 0.0
    return tuple(f1_from_sets(level(hyp), level(ref))
                 for level in (simple_items, partial_items, complete_items))


def radcliq_sets(annotation):
    table = annotation["entities"]
    nodes = {(e["tokens"], e["label"]) for e in table.values()}
    edges = set()
    for e in table.values():
        for kind, target in e["relations"]:
            if target in table:
                t = table[target]
                edges.add(((e["tokens"], e["label"]), (t["tokens"], t["label"]), kind))
    return nodes, edges


def rewards(request):
    samples = []
    for case in request["cases"]:
        hyp, ref = case["hypothesis"], case["reference"]
        if len(hyp.get("text", "")) == 0 or len(ref.get("text", "")) == 0:
            simple, partial, complete = 0.0, 0.0, 0.0
        else:
            simple, partial, complete = reward_levels(hyp, ref)
        hyp_nodes, hyp_edges = radcliq_sets(hyp)
        ref_nodes, ref_edges = radcliq_sets(ref)
        entity_f1 = f1_from_sets(hyp_nodes, ref_nodes)
        relation_f1 = f1_from_sets(hyp_edges, ref_edges)
        samples.append({"simple": simple, "partial": partial, "complete": complete,
                        "entity_f1": entity_f1, "relation_f1": relation_f1,
                        "radcliq": (entity_f1 + relation_f1) / 2})
    mean = {key: float(np.mean([s[key] for s in samples]))
            for key in ("simple", "partial", "complete")}
    mean["radcliq"] = sum(s["radcliq"] for s in samples) / len(samples)
    return {"samples": samples, "mean": mean}


# RadEval radeval/metrics/RadCliQv1/radcliq.py, as printed there.
RADEVAL = {
    "mean": [0.53792312, 0.61757256, 0.76479421, 0.44738335],
    "scale": [0.30282584, 0.22430938, 0.25394391, 0.29892717],
    "coefs": [-3.77083683e-01, -3.70300100e-01, -2.52616218e-01, 4.31504841e-12, 2.46655256e-10],
}
# CXR-Report-Metric CXRMetric/radcliq-v1.pkl, unpickled (scaler.mean_, scaler.scale_, coefs).
CXR_REPORT_METRIC = {
    "mean": [0.5379231241355762, 0.6175725628125001, 0.7647942121140658, 0.44738335396242174],
    "scale": [0.3028258411486429, 0.22430938459304575, 0.2539439110169773, 0.2989271671041838],
    "coefs": [-0.37708368261038905, -0.37030009974480316, -0.25261621789593225,
              4.315048405024756e-12, 2.466552561323256e-10],
}


def radcliq(request):
    model = {"radeval": RADEVAL, "cxr-report-metric": CXR_REPORT_METRIC}[request["model"]]
    x = np.array(request["features"], dtype=np.float64)
    standardised = (x - np.array(model["mean"])) / np.array(model["scale"])
    with_bias = np.hstack([standardised, np.ones((standardised.shape[0], 1))])
    scores = with_bias @ np.array(model["coefs"])
    return {"samples": [float(s) for s in scores], "corpus": float(1 / scores.mean())}


def main():
    request = json.load(sys.stdin)
    answer = {"rewards": rewards, "radcliq": radcliq}[request["mode"]](request)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
