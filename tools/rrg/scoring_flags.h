// The flags that say what to score and how, defined once for every subcommand that scores
// (`rrg evaluate`, `rrg compare`): --metrics, --clean, --no-clean, --wordnet-dir, --threads,
// --list-metrics.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "rrg/labelers/labeler.h"
#include "rrg/pipelines/evaluate.h"

namespace rrg::cli {

struct ScoringFlags {
  std::vector<std::string> metrics;
  std::string clean = "none";
  bool no_clean = false;
  std::string wordnet_dir;
  std::size_t threads = 0;  // 0 = every core
  bool list_metrics = false;
};

void add_scoring_flags(CLI::App& cmd, ScoringFlags& flags);

// The scoring options of the flags for a run with `labeler` (nullptr = none), every name and
// combination checked (unknown metrics or cleaners, metrics the labeler cannot provide) before
// any file is opened. Throws rrg::InputError.
pipelines::EvaluateOptions resolve_scoring(const ScoringFlags& flags, labelers::Labeler* labeler);

// What --list-metrics prints: every scorer of the registry with its keys and description.
std::string metric_list_text();

}  // namespace rrg::cli
