// `rrg evaluate`: score predictions against references (lexical metrics now; clinical metrics
// join through --labeler).
#pragma once

#include <CLI/CLI.hpp>

namespace rrg::cli {

// Adds the `evaluate` subcommand to `app`; running it is wired to the subcommand's callback.
void setup_evaluate(CLI::App& app);

}  // namespace rrg::cli
