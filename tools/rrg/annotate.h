// `rrg annotate`: label reports with the 14 CheXpert observations.
#pragma once

#include <CLI/CLI.hpp>

namespace rrg::cli {

void setup_annotate(CLI::App& app);

}  // namespace rrg::cli
