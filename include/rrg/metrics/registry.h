// The explicit list of lexical scorers rrg knows (one line per scorer in registry.cpp).
//
// Adding a metric = one header, one source file, one test file, one line in registry.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rrg/metrics/scorer.h"

namespace rrg::metrics {

// Settings that some scorers need; each field names the scorer that reads it.
struct ScorerOptions {
  // nltk-meteor: directory holding WordNet 3.0 database files (index.noun, data.noun, *.exc...).
  // Empty = $RRG_WORDNET_DIR, then /usr/share/wordnet (Debian package wordnet-base).
  std::string wordnet_dir;
};

struct ScorerInfo {
  std::string id;                         // e.g. "coco-bleu"
  std::string family;                     // "coco" or "seed"
  std::vector<std::string> metric_names;  // keys it produces, e.g. {"Bleu_1", ..., "Bleu_4"}
  std::string description;                // one line for `rrg evaluate --list-metrics`
};

// All scorers, in the order their metrics are reported.
const std::vector<ScorerInfo>& scorer_infos();

// Builds the scorer `id`. Throws rrg::InputError for an unknown id (with the known ids).
std::unique_ptr<Scorer> make_scorer(const std::string& id, const ScorerOptions& options);

}  // namespace rrg::metrics
