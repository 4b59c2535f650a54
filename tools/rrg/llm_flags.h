// The command-line flags of the llm labeler, defined once for every subcommand that labels with
// an LLM (`rrg annotate`, `rrg evaluate`, and the llm-dev program). Flag names follow the fields
// of rrg::labelers::LlmLabelerOptions; help texts print the struct's defaults.
#pragma once

#include <CLI/CLI.hpp>

#include "rrg/labelers/llm/llm_labeler.h"

namespace rrg::cli {

// Adds --base-url, --model, --api-key-file, --ca-bundle, --concurrency, --max-retries,
// --connect-timeout, --read-timeout, --request-timeout, --structured, --label-scheme,
// --prompt-file, --temperature, --top-p, --seed, --max-tokens, --max-completion-tokens,
// --chat-template-kwargs, --stream, --cache, --no-cache, --keep-reasoning to `app`, writing into
// `options` (which must outlive parsing). Flags go into the option group `group`.
void add_llm_labeler_flags(CLI::App& app, labelers::LlmLabelerOptions& options,
                           const std::string& group = "LLM labeler (--labeler llm)");

}  // namespace rrg::cli
