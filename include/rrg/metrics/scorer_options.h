// Settings of the scorers that need some (rrg/metrics/registry.h builds scorers from them); each
// field names the scorer that reads it. A model-based scorer is "configured" when its options
// are set: only then can `--metrics` select it, and "all" then includes it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "rrg/metrics/bertscore/bertscore.h"
#include "rrg/metrics/green/green_scorer.h"
#include "rrg/metrics/radgraph/graph.h"

namespace rrg::metrics {

struct ScorerOptions {
  // nltk-meteor: directory holding WordNet 3.0 database files (index.noun, data.noun, *.exc...).
  // Empty = $RRG_WORDNET_DIR, then /usr/share/wordnet (Debian package wordnet-base).
  std::string wordnet_dir;
  // green: the judge server and its settings (docs/green.md); unset = GREEN not configured.
  std::optional<green::GreenOptions> green;
  // bertscore: the model folder and bert_score's settings (docs/bertscore.md); unset = not
  // configured.
  std::optional<bertscore::BertScoreOptions> bertscore;
  // radgraph (RadGraph_simple, _partial, _complete): the extractor of the reward levels (RadEval
  // uses radgraph-xl); unset = RadGraph not configured. Extractors are shared: a text is
  // extracted once per run however many scorers ask (docs/radgraph.md).
  std::shared_ptr<radgraph::GraphExtractor> radgraph;
  // radgraph-radcliq (RadGraph_radcliq) and RadCliQ-v1's RadGraph feature: the extractor of
  // RadCliQ (RadEval and CXR-Report-Metric use the original radgraph checkpoint); unset =
  // `radgraph`.
  std::shared_ptr<radgraph::GraphExtractor> radcliq_radgraph;
  // radcliq (RadCliQ-v1): BERTScore with RadCliQ's settings (distilroberta-base, layer 5, idf,
  // rescaled); unset = RadCliQ-v1 not configured. It also needs a RadGraph extractor and CheXbert
  // embeddings (--labeler chexbert).
  std::optional<bertscore::BertScoreOptions> radcliq_bertscore;
  // radcliq: whose coefficients, "radeval" (default) or "cxr-report-metric" (radcliq.h).
  std::string radcliq_coefficients = "radeval";
};

}  // namespace rrg::metrics
