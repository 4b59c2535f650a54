// What scorers read (stage 1 of rrg/metrics/scorer.h), behind one interface so that a metric
// family needs no knowledge of files, cleaners or labelers:
//   - the paired texts under a family's text convention (cleaned once, shared by its scorers);
//   - for the clinical family, the CheXpert labels of predictions and first references;
//   - for embedding similarities, one vector per prediction and per first reference.
// The evaluation pipeline implements it lazily (a convention's texts are built, and the labeler
// runs, only when a selected scorer asks); CorpusInputs serves a ready TextCorpus (tests, tools).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rrg/chexpert/observations.h"
#include "rrg/metrics/scorer.h"

namespace rrg::metrics {

// How a family's texts are prepared (docs/metrics-lexical.md).
enum class TextConvention {
  kCoco,  // pycocoevalcap's: texts as given (or after --clean), all references
  kSeed,  // the original toolkit's: its clean_report (unless --no-clean), first reference only
};

// CheXpert labels of every pair, from one labeler.
struct PairLabels {
  std::string labeler_identity;                 // e.g. "rules@3f2a9c1d"
  std::vector<chexpert::LabelRow> predictions;  // raw 4-way labels, one per pair
  std::vector<chexpert::LabelRow> references;
  std::vector<std::string> errors;  // "" or why pair i has no labels
};

// One embedding per prediction and per first reference.
struct PairEmbeddings {
  std::string identity;  // the model that produced them, e.g. "chexbert@sha256:..."
  std::vector<std::vector<float>> predictions;
  std::vector<std::vector<float>> references;
};

class ScoringInputs {
 public:
  virtual ~ScoringInputs() = default;

  // Number of pairs.
  virtual std::size_t size() const = 0;

  // The pairs' texts under `convention`.
  virtual const TextCorpus& texts(TextConvention convention) = 0;
  // The name of the cleaner applied under `convention` (for the `clean` signature field):
  // "none", "seed", "r2gen-iu", ...
  virtual std::string cleaner(TextConvention convention) const = 0;

  // Labels of the predictions and first references (seed-cleaned texts). Throws
  // rrg::InputError when no labeler was configured.
  virtual const PairLabels& labels() = 0;

  // Embeddings of the predictions and first references by the labeler's model (CheXbert's
  // [CLS] vectors). Throws rrg::InputError when the labeler has none.
  virtual const PairEmbeddings& embeddings() = 0;

  // How many threads scorers may use for their statistics (1 = the calling thread only). No
  // result depends on it: samples are scored independently and every reduction keeps its order.
  virtual std::size_t threads() const { return 1; }
};

// Inputs made of one ready corpus: every convention sees `corpus` as given (the caller has
// prepared it), under the cleaner name `cleaner`; no labels, no embeddings; `threads` threads.
class CorpusInputs final : public ScoringInputs {
 public:
  explicit CorpusInputs(const TextCorpus& corpus, std::string cleaner = "", std::size_t threads = 1)
      : corpus_(corpus), cleaner_(std::move(cleaner)), threads_(threads) {}

  std::size_t size() const override { return corpus_.size(); }
  const TextCorpus& texts(TextConvention) override { return corpus_; }
  std::string cleaner(TextConvention) const override { return cleaner_; }
  const PairLabels& labels() override;
  const PairEmbeddings& embeddings() override;
  std::size_t threads() const override { return threads_; }

 private:
  const TextCorpus& corpus_;
  std::string cleaner_;
  std::size_t threads_;
};

}  // namespace rrg::metrics
