// The flags that say what to score and how, defined once for every subcommand that scores
// (`rrg evaluate`, `rrg compare`): --metrics, --clean, --no-clean, --wordnet-dir, --threads,
// --list-metrics, and the model-based metrics' flags: --green-* (the judge server; the other
// server flags are shared with --labeler llm), --bertscore-*, --radgraph-* and --radcliq-*.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "labeler_flags.h"
#include "rrg/labelers/labeler.h"
#include "rrg/labelers/radgraph/radgraph.h"
#include "rrg/pipelines/evaluate.h"

namespace rrg::cli {

struct ScoringFlags {
  std::vector<std::string> metrics;
  std::string clean = "none";
  bool no_clean = false;
  std::string wordnet_dir;
  std::size_t threads = 0;  // 0 = every core
  bool list_metrics = false;
  // GREEN (docs/green.md).
  std::vector<std::string> green_base_urls;
  std::string green_model;
  std::string green_endpoint = "chat";
  std::string green_chat_template;
  std::string green_parser = "green";
  // BERTScore (docs/bertscore.md).
  std::string bertscore_model;
  std::string bertscore_model_name;
  int bertscore_layer = -1;
  bool bertscore_idf = false;
  bool bertscore_rescale = false;
  std::string bertscore_baseline;
  int bertscore_batch_size = 64;
  bool bertscore_int8 = false;
  // RadGraph and RadCliQ-v1 (docs/radgraph.md).
  labelers::radgraph::RadGraphOptions radgraph;
  std::string radcliq_radgraph_model;
  std::string radcliq_radgraph_tokenizer;
  std::string radcliq_bertscore_model;
  std::string radcliq_coefficients = "radeval";
};

void add_scoring_flags(CLI::App& cmd, ScoringFlags& flags);

// The scoring options of the flags for a run with `labeler` (nullptr = none), every name and
// combination checked (unknown metrics or cleaners, metrics the labeler cannot provide, a GREEN
// server without a model, a BERTScore folder that is not one) before any file is opened.
// GREEN is configured by --green-base-url or --green-model (or by asking for it while --base-url
// is given); its other server settings are the shared LLM server flags of `labeler_flags`.
// BERTScore is configured by --bertscore-model or $RRG_BERTSCORE_MODEL, RadGraph by
// --radgraph-model or $RRG_RADGRAPH_MODEL (the checkpoint is read now when a RadGraph metric is
// selected), RadCliQ-v1 by RadGraph, --labeler chexbert and --radcliq-bertscore-model. Throws
// rrg::InputError.
pipelines::EvaluateOptions resolve_scoring(const ScoringFlags& flags, labelers::Labeler* labeler,
                                           const LabelerFlags& labeler_flags);

// True when the run may do long interruptible work (labelling through an LLM server, GREEN's
// judge requests, RadGraph extraction), so the caller starts its JobRunner first — before any
// scorer or labeler starts a thread (job_runner.h).
bool may_run_jobs(const ScoringFlags& flags, const LabelerFlags& labeler_flags);

// What --list-metrics prints: every scorer of the registry with its keys and description.
std::string metric_list_text();

}  // namespace rrg::cli
