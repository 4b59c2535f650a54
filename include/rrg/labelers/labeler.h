// The interface every report labeler implements (rules, CheXbert, LLM).
//
// A labeler maps report texts to one LabelRow each. Callers pass distinct texts; labelers may
// batch, cache and parallelise internally. A labeler that cannot label one report (an LLM answer
// that does not parse, a failed request) returns an error for that report instead of a guess.
#pragma once

#include <string>
#include <vector>

#include "rrg/labelers/vocabulary.h"

namespace rrg::labelers {

struct LabelResult {
  LabelRow labels = blank_row();
  std::string error;  // empty when labels are valid; otherwise why the report has no labels
};

class Labeler {
 public:
  virtual ~Labeler() = default;

  // Registry name, e.g. "rules".
  virtual std::string name() const = 0;

  // Identity for signatures and caches, e.g. "rules@3f2a9c1d" (hash of the phrase lists) or
  // "chexbert@sha256:1f3c..." (hash of the weights). Two labelers with the same identity label
  // every text identically.
  virtual std::string identity() const = 0;

  // Labels every text; result[i] belongs to texts[i].
  virtual std::vector<LabelResult> label(const std::vector<std::string>& texts) = 0;
};

}  // namespace rrg::labelers
