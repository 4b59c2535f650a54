// Settings of the scorers that need some (rrg/metrics/registry.h builds scorers from them); each
// field names the scorer that reads it. A model-based scorer is "configured" when its options
// are set: only then can `--metrics` select it, and "all" then includes it.
#pragma once

#include <optional>
#include <string>

#include "rrg/metrics/bertscore/bertscore.h"
#include "rrg/metrics/green/green_scorer.h"

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
};

}  // namespace rrg::metrics
