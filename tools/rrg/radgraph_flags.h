// The RadGraph extractor's flags, shared by `rrg annotate --labeler radgraph` and the RadGraph
// metrics of `rrg evaluate`/`compare`/`serve` (docs/radgraph.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "rrg/labelers/radgraph/radgraph.h"

namespace rrg::cli {

// --radgraph-model, --radgraph-tokenizer, --radgraph-batch-size into `options`.
void add_radgraph_flags(CLI::App& cmd, labelers::radgraph::RadGraphOptions& options);

// The checkpoint of --radgraph-model, else $RRG_RADGRAPH_MODEL, else "".
std::string radgraph_checkpoint(const labelers::radgraph::RadGraphOptions& options);

}  // namespace rrg::cli
