// The command-line flags of the chexbert labeler, defined once for every subcommand that labels
// with it (`rrg annotate`, `rrg evaluate`). Flag names follow rrg::labelers::ChexbertOptions;
// help texts print the struct's defaults. The SQLite cache uses the shared --cache / --no-cache
// flags (llm_flags.h); copy them with use_shared_cache_flags().
#pragma once

#include <CLI/CLI.hpp>

#include "rrg/labelers/chexbert/chexbert.h"
#include "rrg/labelers/llm/llm_labeler.h"

namespace rrg::cli {

// Adds --chexbert-checkpoint, --vocab, --chexbert-threads, --chexbert-batch-size and
// --chexbert-int8 to `app`, writing into `options` (which must outlive parsing).
void add_chexbert_labeler_flags(CLI::App& app, labelers::ChexbertOptions& options,
                                const std::string& group = "CheXbert labeler (--labeler chexbert)");

// The chexbert labeler reads and writes the same cache file as the llm labeler.
void use_shared_cache_flags(const labelers::LlmLabelerOptions& llm,
                            labelers::ChexbertOptions& chexbert);

}  // namespace rrg::cli
