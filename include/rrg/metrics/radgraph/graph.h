// A RadGraph annotation of one report, as the RadGraph extractor's JSON gives it (the
// `radgraph` package and RadEval):
//   {"text": "...", "entities": {"1": {"tokens": "...", "label": "ANAT-DP", "start_ix": 0,
//    "end_ix": 0, "relations": [["located_at", "2"], ...]}, ...}}
// Entity keys are the strings RadGraph writes ("1", "2", ... in order of appearance); a relation
// names its type (modify, located_at, suggestive_of) and the key of the entity it points to.
// Labels are ANAT-DP, OBS-DP, OBS-U, OBS-DA. start_ix/end_ix are inclusive word indices into the
// text after RadGraph's preprocessing.
//
// This header is shared by the metrics (the reward levels, RadCliQ: rrg/metrics/radgraph/) and
// the extractor (src/labelers/radgraph/ and the "radgraph" kind of the libtorch module), which
// implements GraphExtractor.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "rrg/core/job.h"

namespace rrg::metrics::radgraph {

struct Relation {
  std::string type;    // "modify", "located_at", "suggestive_of"
  std::string target;  // the key of the entity the relation points to
};

struct Entity {
  std::string key;     // "1", "2", ... as RadGraph numbers them
  std::string tokens;  // the entity's words joined by single spaces
  std::string label;   // "ANAT-DP", "OBS-DP", "OBS-U", "OBS-DA"
  int start_ix = 0;    // inclusive word indices
  int end_ix = 0;
  std::vector<Relation> relations;
};

struct Graph {
  std::string text;              // the text the indices refer to (after preprocessing)
  std::vector<Entity> entities;  // in RadGraph's key order
};

// Turns reports into graphs. Implementations (the libtorch extractor) process distinct texts
// once and may cache; extract() returns one graph per input text, in order. Throws
// rrg::InputError for unusable checkpoints, std::runtime_error for failures of the model.
class GraphExtractor {
 public:
  virtual ~GraphExtractor() = default;
  virtual std::vector<Graph> extract(const std::vector<std::string>& texts) = 0;
  // What decides the graphs (checkpoint hash, model kind, preprocessing version): goes into
  // the signature of every RadGraph number and into cache keys.
  virtual std::string description() const = 0;
  // Progress and cancellation of long extractions; nullptr when there is none.
  virtual Job* job() { return nullptr; }
  // Loads the model now rather than for the first text not in the cache (rrg serve loads every
  // model once at start-up); a no-op for extractors without one.
  virtual void preload() {}
};

}  // namespace rrg::metrics::radgraph
