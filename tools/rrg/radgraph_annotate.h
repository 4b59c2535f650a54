// `rrg annotate --labeler radgraph`: the RadGraph extractor's flags and the run that writes one
// RadGraph annotation per report (docs/radgraph.md, "The extractor").
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "radgraph_flags.h"
#include "rrg/labelers/radgraph/radgraph.h"

namespace rrg::cli {

struct RadGraphAnnotateRun {
  std::string input;
  std::string input_format;
  std::string output;
  bool quiet = false;
};

// Reads the reports, extracts every distinct text once and writes JSONL atomically ('-' =
// stdout). Throws rrg::InputError for bad input or checkpoints.
void run_radgraph_annotate(const RadGraphAnnotateRun& run,
                           const labelers::radgraph::RadGraphOptions& options);

}  // namespace rrg::cli
