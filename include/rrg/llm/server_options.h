// The LLM server options every use of a server shares, and their one mapping to the client's
// options, so that `rrg generate`, the llm labeler and LLM-judge metrics validate and interpret
// the server flags identically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rrg/llm/client.h"

namespace rrg::llm {

// How rrg talks to an OpenAI-compatible server, shared by everything that does (rrg generate, the
// llm labeler, LLM-judge metrics); the CLI flag of each field is named in its comment.
struct ServerOptions {
  // --base-url (repeatable): server base URLs, e.g. http://127.0.0.1:8000/v1. Required.
  std::vector<std::string> base_urls;
  // --model: model name as the server knows it. Required.
  std::string model;
  // --api-key-file: file holding the API key; empty = $RRG_API_KEY, else $OPENAI_API_KEY, else
  // no key (local servers).
  std::string api_key_file;
  // --ca-bundle: PEM roots trusted in addition to the system store.
  std::string ca_bundle;
  // --concurrency: requests in flight.
  int concurrency = 16;
  // --max-retries: retries per request after the first attempt (then an explicit error).
  int max_retries = 5;
  // --connect-timeout / --read-timeout / --request-timeout, in seconds; read = longest silence
  // from the server; request = bound of one attempt (0 = none).
  double connect_timeout_s = 10;
  double read_timeout_s = 600;
  double request_timeout_s = 0;
  // --temperature: sampling temperature; only 0 answers are cached.
  double temperature = 0.0;
  // --top-p, --seed, --max-tokens: sent only when set.
  std::optional<double> top_p;
  std::optional<std::int64_t> seed;
  std::optional<int> max_tokens;
  // --max-completion-tokens: send the limit as max_completion_tokens (OpenAI o-series).
  bool use_max_completion_tokens = false;
  // --chat-template-kwargs: JSON object, e.g. {"enable_thinking": false}; empty = not sent.
  std::string chat_template_kwargs;
  // --stream: use server-sent events (same answers; keeps proxies with idle timeouts happy).
  bool stream = false;
  // --cache: SQLite cache file; empty = rrg::io::default_cache_path().
  std::string cache_path;
  // --no-cache: neither read nor write the cache.
  bool no_cache = false;
  // --keep-reasoning: journal records carry the model's reasoning ("reasoning" key).
  bool keep_reasoning = false;
};

// Client options with the request fields every use shares (model, sampling, token limit,
// streaming, chat template kwargs) and the API key loaded. `component` prefixes error messages
// ("llm labeler", "generate"). Throws rrg::InputError for a negative or non-finite timeout or
// chat template kwargs that are not a JSON object.
ClientOptions client_options_from(const ServerOptions& options, const std::string& component);

}  // namespace rrg::llm
