// The interface every report labeler implements (rules, CheXbert, LLM).
//
// A labeler maps report texts to one LabelRow each. Callers pass distinct texts; labelers may
// batch, cache and parallelise internally. A labeler that cannot label one report (an LLM answer
// that does not parse, a failed request) returns an error for that report instead of a guess.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rrg/core/job.h"
#include "rrg/labelers/vocabulary.h"

namespace rrg::io {
class Journal;
}

namespace rrg::labelers {

struct LabelResult {
  LabelRow labels = blank_row();
  std::string error;  // empty when labels are valid; otherwise why the report has no labels
};

// Optional capability of a labeler whose model also embeds reports (CheXbert's [CLS] vector).
class ReportEmbedder {
 public:
  virtual ~ReportEmbedder() = default;
  // One vector per text; result[i] belongs to texts[i].
  virtual std::vector<std::vector<float>> embed(const std::vector<std::string>& texts) = 0;
  // The model that embeds, for signatures and caches (the labeler's identity).
  virtual std::string embedding_identity() const = 0;
};

// What JournalingLabeler::label_into() did.
struct JournalLabelStats {
  std::size_t skipped = 0;  // ids already in the journal
  std::size_t written = 0;  // records appended
  std::size_t failed = 0;   // of which carry an error
};

// Optional capability of a labeler whose runs are long and resumable (an LLM behind a server):
// it appends one record per id to a crash-safe journal as answers arrive, so an interrupted
// `rrg annotate` loses nothing and a re-run continues.
class JournalingLabeler {
 public:
  virtual ~JournalingLabeler() = default;
  // Labels the (id, text) reports whose ids are not yet in `journal` and appends one record per
  // id: {"id", "labels": {observation: 1|0|-1|null}} plus "error" when it failed (labels then
  // all null). Reports sharing a text are labelled once.
  virtual JournalLabelStats label_into(
      const std::vector<std::pair<std::string, std::string>>& reports, io::Journal& journal) = 0;
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
  // The same from views of texts the caller keeps alive, so that a large corpus is not copied
  // into strings first. The default copies them and calls label(); a labeler that reads views
  // directly (rules) overrides it.
  virtual std::vector<LabelResult> label_views(const std::vector<std::string_view>& texts) {
    return label(std::vector<std::string>(texts.begin(), texts.end()));
  }

  // Optional capabilities, queried instead of casting to a concrete labeler (nullptr = none):
  // a labelling run that takes a while (progress bar, Ctrl-C) ...
  virtual Job* job() { return nullptr; }
  // ... whose answers can be journaled as they arrive (resumable annotation) ...
  virtual JournalingLabeler* journaling() { return nullptr; }
  // ... and a model that also embeds reports (chexbert_similarity).
  virtual ReportEmbedder* embedder() { return nullptr; }
  // One line describing the work done, for the end of a run ("" = nothing worth saying).
  virtual std::string summary() const { return ""; }
  // A caveat to print wherever this labeler's labels are reported ("" = none): the rules
  // labeler says that its labels approximate CheXbert's, and how well.
  virtual std::string note() const { return ""; }
  // Loads the labeler's model now rather than for the first report that needs it, so that a
  // long-lived server (rrg serve) loads it once at start-up and no request pays for it or fails
  // on it. Throws what the first label() call would; a no-op for labelers without a model.
  virtual void preload() {}
};

}  // namespace rrg::labelers
