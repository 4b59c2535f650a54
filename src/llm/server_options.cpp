// LLM server options -> ClientOptions (see server_options.h).
#include "rrg/llm/server_options.h"

#include <cmath>

#include "rrg/core/errors.h"
#include "rrg/llm/api_key.h"

namespace rrg::llm {
namespace {

int to_ms(double seconds, const std::string& component, const char* flag) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) {
    throw InputError(component + ": " + flag + " must be a number of seconds >= 0");
  }
  return static_cast<int>(std::lround(seconds * 1000.0));
}

}  // namespace

ClientOptions client_options_from(const ServerOptions& options, const std::string& component) {
  ClientOptions client;
  client.base_urls = options.base_urls;
  client.api_key = load_api_key({options.api_key_file});
  client.ca_bundle = options.ca_bundle;
  client.concurrency = options.concurrency;
  client.connect_timeout_ms = to_ms(options.connect_timeout_s, component, "--connect-timeout");
  client.read_timeout_ms = to_ms(options.read_timeout_s, component, "--read-timeout");
  client.request_timeout_ms = to_ms(options.request_timeout_s, component, "--request-timeout");
  client.retry.max_retries = options.max_retries;

  RequestOptions& request = client.request;
  request.model = options.model;
  request.temperature = options.temperature;
  request.top_p = options.top_p;
  request.seed = options.seed;
  request.max_tokens = options.max_tokens;
  request.use_max_completion_tokens = options.use_max_completion_tokens;
  request.stream = options.stream;
  if (!options.chat_template_kwargs.empty()) {
    request.chat_template_kwargs = nlohmann::json::parse(options.chat_template_kwargs, nullptr,
                                                         /*allow_exceptions=*/false);
    if (!request.chat_template_kwargs.is_object()) {
      throw InputError(component +
                       ": --chat-template-kwargs must be a JSON object, e.g. "
                       "'{\"enable_thinking\": false}' (got: " +
                       options.chat_template_kwargs + ")");
    }
  }
  return client;
}

}  // namespace rrg::llm
