// The explicit list of scorers rrg knows (one line per scorer in registry.cpp) and the rules of
// `--metrics`: keys, scorer ids and families.
//
// Adding a metric = one header, one source file, one test file, one line in registry.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scorer_options.h"

namespace rrg::metrics {

// What a scorer reads besides texts (ScoringInputs).
enum class ScorerNeeds {
  kTexts,           // only the texts
  kLabels,          // the CheXpert labels of both sides: needs a labeler
  kEmbeddings,      // embeddings of both sides: needs a labeler that embeds (chexbert)
  kGreenServer,     // a GREEN judge server (ScorerOptions::green)
  kBertScoreModel,  // a BERTScore model folder (ScorerOptions::bertscore)
  kRadGraphModel,   // a RadGraph extractor (ScorerOptions::radgraph)
  kRadCliq,         // a RadGraph extractor, CheXbert embeddings and RadCliQ's BERTScore folder
};

struct ScorerInfo {
  std::string id;                         // e.g. "coco-bleu"
  std::string family;                     // "coco", "seed", "clinical", "embed"
  std::vector<std::string> metric_names;  // keys it produces, e.g. {"Bleu_1", ..., "Bleu_4"}
  std::string description;                // one line for `rrg evaluate --list-metrics`
  ScorerNeeds needs = ScorerNeeds::kTexts;
  // The keys as `--list-metrics` prints them when there are too many to list ("" = all names).
  std::string names_summary;
  // Other names that select the whole scorer (e.g. "BERTScore").
  std::vector<std::string> aliases;
  // Reads the texts of the coco convention (as given, or after --clean).
  bool coco_texts = false;
};

// All scorers, in the order their metrics are reported.
const std::vector<ScorerInfo>& scorer_infos();

// Builds the scorer `id`. Throws rrg::InputError for an unknown id (with the known ids).
std::unique_ptr<Scorer> make_scorer(const std::string& id, const ScorerOptions& options);

// The group names `--metrics` accepts besides keys and scorer ids: "all", "lexical" (the coco
// and seed families) and every family name.
std::vector<std::string> metric_group_names();

// What the run can provide, which decides what "all" means and what may be asked for.
struct SelectionContext {
  bool labels = false;             // a labeler is configured
  bool embeddings = false;         // ... and it embeds reports
  bool green = false;              // a GREEN judge server is configured
  bool bertscore = false;          // a BERTScore model folder is configured
  bool radgraph = false;           // a RadGraph extractor is configured
  bool radcliq_bertscore = false;  // RadCliQ's BERTScore folder is configured
};

// The context ScorerOptions give (green, bertscore, radgraph) for a run with or without a
// labeler.
SelectionContext selection_context(const ScorerOptions& options, bool labels, bool embeddings);

struct MetricSelection {
  std::vector<std::string> scorer_ids;    // scorers to run, in registry order
  std::vector<std::string> metric_names;  // keys to keep, in registry order
};

// Resolves `--metrics` (empty = "all"). "all" and the clinical family take what the context
// provides (the model-based scorers, GREEN and BERTScore, when configured); a key or scorer that
// needs what it does not provide is an rrg::InputError saying which flag provides it, as is an
// unknown name (with a close match suggested).
MetricSelection select_metrics(const std::vector<std::string>& requested,
                               const SelectionContext& context);

}  // namespace rrg::metrics
