// `rrg sections`: FINDINGS / IMPRESSION reference files from free-text MIMIC-CXR reports.
#pragma once

#include <CLI/CLI.hpp>

namespace rrg::cli {

// Adds the `sections` subcommand to `app`; running it is wired to the subcommand's callback.
void setup_sections(CLI::App& app);

}  // namespace rrg::cli
