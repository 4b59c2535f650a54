// The one mapping from the LLM server flags (LlmLabelerOptions: --base-url, --model, timeouts,
// sampling, --chat-template-kwargs, ...) to the client's options, shared by the llm labeler and
// `rrg generate` so both validate and interpret the flags identically.
#pragma once

#include <string>

#include "rrg/labelers/llm/llm_labeler.h"
#include "rrg/llm/client.h"

namespace rrg::labelers {

// Client options with the request fields every use shares (model, sampling, token limit,
// streaming, chat template kwargs). `component` prefixes error messages ("llm labeler",
// "generate"). Throws rrg::InputError for a negative or non-finite timeout or chat template
// kwargs that are not a JSON object.
llm::ClientOptions client_options_from(const LlmLabelerOptions& options,
                                       const std::string& component);

}  // namespace rrg::labelers
