// The command-line flags of LLM servers and of the llm labeler, defined once for every subcommand
// that talks to a server (`rrg generate`, `rrg annotate`, `rrg evaluate`, and the llm-dev
// program). Flag names follow the fields of rrg::llm::ServerOptions and
// rrg::labelers::LlmLabelerOptions; help texts print the structs' defaults.
#pragma once

#include <CLI/CLI.hpp>

#include "rrg/labelers/llm/llm_labeler.h"
#include "rrg/llm/server_options.h"

namespace rrg::cli {

// Adds the server flags --base-url, --model, --api-key-file, --ca-bundle, --concurrency,
// --max-retries, --connect-timeout, --read-timeout, --request-timeout, --temperature, --top-p,
// --seed, --max-tokens, --max-completion-tokens, --chat-template-kwargs, --stream, --cache,
// --no-cache, --keep-reasoning to `app`, writing into `options` (which must outlive parsing).
// Flags go into the option group `group`.
// `seed_flag` names the sampling seed's flag ("--seed"; `rrg compare` keeps --seed for its tests).
void add_llm_server_flags(CLI::App& app, llm::ServerOptions& options, const std::string& group,
                          const std::string& seed_flag = "--seed");

// The server flags plus the labeler's own --structured, --label-scheme and --prompt-file.
void add_llm_labeler_flags(CLI::App& app, labelers::LlmLabelerOptions& options,
                           const std::string& group = "LLM labeler (--labeler llm)",
                           const std::string& seed_flag = "--seed");

}  // namespace rrg::cli
