// The evaluation pipeline behind `rrg evaluate`: paired reports in, every selected metric out.
//
// Two lexical families, each with its own preprocessing and key names:
//   coco  (pycocoevalcap): texts as given (or after an R2Gen cleaner), all references;
//         keys Bleu_1..Bleu_4, ROUGE_L, CIDEr.
//   seed  (the original toolkit: NLTK 3.8 + rouge-score 0.1.2): both sides pass the seed
//         clean_report (unless disabled), first reference only; keys BLEU-1..BLEU-4, ROUGE-L,
//         METEOR.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "rrg/io/pairing.h"
#include "rrg/metrics/registry.h"
#include "rrg/metrics/signature.h"

namespace rrg::pipelines {

struct EvaluateOptions {
  // Metric keys (e.g. "BLEU-4", "CIDEr"), scorer ids ("coco-bleu") or families ("coco",
  // "seed", "lexical", "all") to compute. Empty = all lexical metrics.
  std::vector<std::string> metrics;
  // Cleaner applied to both sides for the coco family: "none" (default), "r2gen-iu",
  // "r2gen-mimic" (R2Gen's clean_report variants).
  std::string coco_clean = "none";
  // Apply the original toolkit's clean_report to both sides for the seed family.
  bool seed_clean = true;
  // Options read by individual scorers (e.g. the WordNet directory for METEOR).
  metrics::ScorerOptions scorer_options;
};

struct MetricColumn {
  std::string name;                // key, e.g. "BLEU-4"
  std::string family;              // "coco" or "seed"
  double corpus = 0.0;             // corpus-level value
  std::vector<double> per_sample;  // one value per id, in `ids` order
  metrics::Signature signature;
};

struct EvaluationResult {
  std::vector<std::string> ids;
  std::vector<MetricColumn> metrics;  // in report order
  std::size_t n_samples = 0;          // ids scored
  std::size_t n_valid = 0;            // of which the prediction is non-empty and has no error
  // Wall seconds per stage ("score:coco-bleu", ...), in execution order.
  std::vector<std::pair<std::string, double>> timings_seconds;
};

// Resolves EvaluateOptions::metrics to scorer ids and the metric keys to keep. Throws
// rrg::InputError for unknown names, suggesting close matches.
struct MetricSelection {
  std::vector<std::string> scorer_ids;
  std::vector<std::string> metric_names;
};
MetricSelection select_metrics(const std::vector<std::string>& requested);

// Scores every paired sample with the selected metrics.
EvaluationResult evaluate(const io::PairedReports& reports, const EvaluateOptions& options);

}  // namespace rrg::pipelines
