// `rrg merge`: combine the JSONL outputs of a sharded `rrg generate` run into one file and
// report missing, failed and duplicated ids.
#pragma once

#include <CLI/CLI.hpp>

namespace rrg::cli {

// Adds the `merge` subcommand to `app`; running it is wired to the subcommand's callback.
void setup_merge(CLI::App& app);

}  // namespace rrg::cli
