// `rrg serve`: the web page and JSON API over the evaluate and generate pipelines
// (rrg/serve/server.h, docs/serve.md).
#pragma once

#include <CLI/CLI.hpp>

namespace rrg::cli {

// Adds the `serve` subcommand to `app`; running it is wired to the subcommand's callback.
void setup_serve(CLI::App& app);

}  // namespace rrg::cli
