// `rrg generate`: chest X-ray studies to reports with a vision-language model behind an
// OpenAI-compatible server.
#pragma once

#include <CLI/CLI.hpp>

namespace rrg::cli {

// Adds the `generate` subcommand to `app`; running it is wired to the subcommand's callback.
void setup_generate(CLI::App& app);

}  // namespace rrg::cli
