// Applies the configuration file (rrg/io/config_file.h) to the subcommands' flags: each key
// becomes the default of the flag of that name, so flags on the command line still override it
// and `--help` shows the configured values as defaults.
#pragma once

#include <CLI/CLI.hpp>

#include "rrg/io/config_file.h"

namespace rrg::cli {

// Top-level keys set the flag in every subcommand that has it; [subcommand] tables set it in
// that subcommand only, after the top level. Throws rrg::InputError "<file>:<line>:<col>: ..."
// for a key no subcommand has (suggesting a close flag), an unknown [table], or a value the
// flag cannot take.
void apply_config(CLI::App& app, const io::ConfigFile& config);

}  // namespace rrg::cli
