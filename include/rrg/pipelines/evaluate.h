// The evaluation pipeline behind `rrg evaluate`: paired reports in, every selected metric out.
//
// Two lexical families, each with its own preprocessing and key names:
//   coco  (pycocoevalcap): texts as given (or after an R2Gen cleaner), all references;
//         keys Bleu_1..Bleu_4, ROUGE_L, CIDEr.
//   seed  (the original toolkit: NLTK 3.8 + rouge-score 0.1.2): both sides pass the seed
//         clean_report (unless disabled), first reference only; keys BLEU-1..BLEU-4, ROUGE-L,
//         METEOR.
// and, when a labeler is given, the clinical family: the 14 CheXpert observations of each
// prediction and (first) reference, compared as in the original toolkit and in papers
// (chexpert_* keys, see docs/metrics-clinical.md).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rrg/io/pairing.h"
#include "rrg/labelers/labeler.h"
#include "rrg/metrics/clinical/clinical.h"
#include "rrg/metrics/driver.h"
#include "rrg/metrics/registry.h"
#include "rrg/metrics/scoring_inputs.h"
#include "rrg/metrics/signature.h"

namespace rrg::pipelines {

struct EvaluateOptions {
  // Metric keys (e.g. "BLEU-4", "CIDEr", "chexpert_micro_f1_14_uzeros"), scorer ids
  // ("coco-bleu") or families ("coco", "seed", "clinical", "lexical", "all") to compute.
  // Empty = everything available ("all" with a labeler, "lexical" without).
  std::vector<std::string> metrics;
  // Cleaner applied to both sides for the coco family: "none" (default), "r2gen-iu",
  // "r2gen-mimic" (R2Gen's clean_report variants).
  std::string coco_clean = "none";
  // Apply the original toolkit's clean_report to both sides for the seed family.
  bool seed_clean = true;
  // Options read by individual scorers (e.g. the WordNet directory for METEOR).
  metrics::ScorerOptions scorer_options;
  // Labeler for the clinical family (not owned); nullptr = no clinical metrics. Its embedder
  // capability, when it has one, provides chexbert_similarity.
  labelers::Labeler* labeler = nullptr;
  // Called with the long-running work of the run as it starts — the labeler's job (rrg/core/
  // job.h) before labelling, a scorer's job (GREEN's requests) before its statistics — and with
  // nullptr when it ends, so that a caller can show progress and cancel it. Optional.
  std::function<void(Job*, const std::string& what)> on_job;
  // Threads for cleaning and scoring (0 = every core). No value depends on it. (The labeler has
  // its own setting, e.g. LabelerOptions::threads.)
  std::size_t threads = 0;
  // Scorers built once by a long-lived caller (`rrg serve`), by registry id; a selected scorer
  // found here is used instead of a new one built from scorer_options (scorers are stateless
  // after construction, so the numbers are the same). Not owned; nullptr = build every scorer.
  const std::map<std::string, std::shared_ptr<const metrics::Scorer>>* prebuilt_scorers = nullptr;
  // `metrics` already resolved by select_evaluation_metrics() for this labeler and these scorer
  // options (a long-lived caller resolves each list once). Not owned; nullptr = resolve here.
  const metrics::MetricSelection* selection = nullptr;
};

struct MetricColumn {
  std::string name;        // key, e.g. "BLEU-4"
  std::string family;      // "coco", "seed" or "clinical"
  bool has_corpus = true;  // false for per-sample-only columns (n_agree, n_disagree)
  double corpus = 0.0;     // corpus-level value; NaN = N/A (undefined, e.g. AUC of one class)
  std::vector<double> per_sample;  // one value per id in `ids` order, or empty (corpus only)
  metrics::Signature signature;
};

// The labels behind the clinical family, kept for the per-sample outputs.
struct ClinicalDetails {
  std::string labeler_identity;
  std::vector<chexpert::LabelRow> predictions;  // raw 4-way labels, one per id
  std::vector<chexpert::LabelRow> references;
  std::vector<std::string> errors;   // "" or why this id has no clinical values
  std::size_t n_distinct_texts = 0;  // distinct texts the labeler saw
  std::size_t n_excluded = 0;        // ids left out because a side could not be labelled
  metrics::ClinicalTable table;      // the original toolkit's per-observation table
  std::string labeler_note;          // Labeler::note(): printed with the clinical numbers
};

// One scorer's run, kept for resampling (`rrg compare`): the scorer and its per-sample
// statistics, and which of its keys were selected (index into scorer->keys()).
struct ScorerRun {
  std::string id;
  std::shared_ptr<const metrics::Scorer> scorer;
  metrics::SampleStatistics statistics;
  std::vector<std::size_t> selected_keys;
};

struct EvaluationResult {
  std::vector<std::string> ids;
  std::vector<MetricColumn> metrics;  // in report order
  std::vector<ScorerRun> runs;        // in registry order
  std::size_t n_samples = 0;          // ids scored
  std::size_t n_valid = 0;            // of which the prediction is non-empty and has no error
  std::optional<ClinicalDetails> clinical;
  // Wall seconds per stage ("prepare:seed", "label:rules", "score:coco-bleu", ...), in execution
  // order: a scorer's line follows the preparation its signatures triggered. Scorers that share
  // a sample loop (rrg/metrics/driver.h, run_scorers) share its time in proportion to their work.
  std::vector<std::pair<std::string, double>> timings_seconds;
};

// Resolves EvaluateOptions::metrics for a run with `labeler` (nullptr = none) and the scorers
// `scorer_options` configure: what "all" means and what may be asked for depend on them
// (rrg/metrics/registry.h, select_metrics). Throws rrg::InputError for unknown names (suggesting
// close matches) and impossible requests.
metrics::MetricSelection select_evaluation_metrics(const std::vector<std::string>& requested,
                                                   labelers::Labeler* labeler,
                                                   const metrics::ScorerOptions& scorer_options);

// Scores every paired sample with the selected metrics. `reports` is taken by value: pass it
// with std::move so its texts are reused rather than copied.
EvaluationResult evaluate(io::PairedReports reports, const EvaluateOptions& options);

}  // namespace rrg::pipelines
