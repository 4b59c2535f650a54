// The llm labeler's flags (see llm_flags.h).
#include "llm_flags.h"

#include <string>

namespace rrg::cli {
namespace {

std::string with_default(const std::string& text, const std::string& value) {
  return text + " (default: " + value + ")";
}

std::string seconds(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text + " s";
}

}  // namespace

void add_llm_server_flags(CLI::App& app, llm::ServerOptions& options, const std::string& group,
                          const std::string& seed_flag) {
  app.add_option("--base-url", options.base_urls,
                 "OpenAI-compatible server base URL, e.g. http://127.0.0.1:8000/v1; repeat to "
                 "spread requests over several servers")
      ->group(group);
  app.add_option("--model", options.model, "model name as the server knows it")->group(group);
  app.add_option(
         "--api-key-file", options.api_key_file,
         "file holding the API key (default: $RRG_API_KEY, else $OPENAI_API_KEY, else none)")
      ->check(CLI::ExistingFile)
      ->group(group);
  app.add_option("--ca-bundle", options.ca_bundle,
                 "PEM file of extra root certificates to trust (TLS verification is always on)")
      ->check(CLI::ExistingFile)
      ->group(group);
  app.add_option("--concurrency", options.concurrency,
                 with_default("requests in flight", std::to_string(options.concurrency)))
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_option("--max-retries", options.max_retries,
                 with_default("retries per request on 408/409/429/5xx/transport errors before "
                              "recording an explicit error",
                              std::to_string(options.max_retries)))
      ->check(CLI::NonNegativeNumber)
      ->group(group);
  app.add_option(
         "--connect-timeout", options.connect_timeout_s,
         with_default("seconds to establish a connection", seconds(options.connect_timeout_s)))
      ->group(group);
  app.add_option("--read-timeout", options.read_timeout_s,
                 with_default("longest silence from the server, in seconds (0 = none)",
                              seconds(options.read_timeout_s)))
      ->group(group);
  app.add_option("--request-timeout", options.request_timeout_s,
                 with_default("bound of one attempt, in seconds (0 = none)",
                              seconds(options.request_timeout_s)))
      ->group(group);
  app.add_option("--temperature", options.temperature,
                 with_default("sampling temperature; only temperature-0 answers are cached",
                              std::to_string(options.temperature).substr(0, 3)))
      ->group(group);
  app.add_option("--top-p", options.top_p, "nucleus sampling mass (default: not sent)")
      ->group(group);
  app.add_option(seed_flag, options.seed, "sampling seed (default: not sent)")->group(group);
  app.add_option("--max-tokens", options.max_tokens,
                 "maximum generated tokens (default: the server's)")
      ->group(group);
  app.add_flag("--max-completion-tokens", options.use_max_completion_tokens,
               "send the token limit as max_completion_tokens (OpenAI o-series and newer)")
      ->group(group);
  app.add_option("--chat-template-kwargs", options.chat_template_kwargs,
                 "JSON object for the server's chat template, e.g. '{\"enable_thinking\": false}'")
      ->group(group);
  app.add_flag("--stream", options.stream, "receive answers as server-sent events")->group(group);
  app.add_option("--cache", options.cache_path,
                 "SQLite answer cache (default: $RRG_CACHE_DIR/cache.sqlite, else "
                 "$XDG_CACHE_HOME/rrg/cache.sqlite, else ~/.cache/rrg/cache.sqlite)")
      ->group(group);
  app.add_flag("--no-cache", options.no_cache, "neither read nor write the answer cache")
      ->group(group);
  app.add_flag("--keep-reasoning", options.keep_reasoning,
               "keep the model's reasoning in the output records")
      ->group(group);
}

void add_llm_labeler_flags(CLI::App& app, labelers::LlmLabelerOptions& options,
                           const std::string& group, const std::string& seed_flag) {
  add_llm_server_flags(app, options.server, group, seed_flag);
  app.add_option("--structured", options.structured,
                 with_default("structured output: json_schema (OpenAI response_format), vllm "
                              "(structured_outputs), guided_json (legacy vLLM) or none",
                              options.structured))
      ->check(CLI::IsMember({"json_schema", "vllm", "guided_json", "none"}))
      ->group(group);
  app.add_option("--label-scheme", options.label_scheme,
                 with_default("binary: 1/0 per observation (U-zeros); chexpert4: 1/0/-1/blank "
                              "like CheXbert",
                              options.label_scheme))
      ->check(CLI::IsMember({"binary", "chexpert4"}))
      ->group(group);
  app.add_option("--prompt-file", options.prompt_file,
                 "prompt template replacing the built-in one ({report} marks the report)")
      ->check(CLI::ExistingFile)
      ->group(group);
}

}  // namespace rrg::cli
