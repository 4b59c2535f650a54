// `rrg compare`: several systems against one reference set, with paired significance tests and
// bootstrap confidence intervals (rrg/pipelines/compare.h).
#pragma once

#include <CLI/CLI.hpp>

namespace rrg::cli {

// Adds the `compare` subcommand to `app`; running it is wired to the subcommand's callback.
void setup_compare(CLI::App& app);

}  // namespace rrg::cli
