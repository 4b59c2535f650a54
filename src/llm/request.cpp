// Chat Completions request bodies (see request.h).
#include "rrg/llm/request.h"

#include "rrg/core/errors.h"

namespace rrg::llm {

std::string_view structured_mode_name(StructuredMode mode) {
  switch (mode) {
    case StructuredMode::kNone:
      return "none";
    case StructuredMode::kJsonSchema:
      return "json_schema";
    case StructuredMode::kVllm:
      return "vllm";
    case StructuredMode::kGuidedJson:
      return "guided_json";
  }
  return "none";
}

StructuredMode parse_structured_mode(std::string_view name) {
  for (auto mode : {StructuredMode::kNone, StructuredMode::kJsonSchema, StructuredMode::kVllm,
                    StructuredMode::kGuidedJson}) {
    if (structured_mode_name(mode) == name) return mode;
  }
  throw InputError("unknown structured output mode '" + std::string(name) +
                   "' (expected json_schema, vllm, guided_json or none)");
}

std::string_view api_endpoint_name(ApiEndpoint endpoint) {
  return endpoint == ApiEndpoint::kCompletions ? "completions" : "chat";
}

ApiEndpoint parse_api_endpoint(std::string_view name) {
  for (auto endpoint : {ApiEndpoint::kChatCompletions, ApiEndpoint::kCompletions}) {
    if (api_endpoint_name(endpoint) == name) return endpoint;
  }
  throw InputError("unknown API endpoint '" + std::string(name) +
                   "' (expected chat for /chat/completions or completions for /completions)");
}

nlohmann::json answer_parameters(const RequestOptions& options) {
  nlohmann::json body = nlohmann::json::object();
  body["model"] = options.model;
  if (options.temperature) body["temperature"] = *options.temperature;
  if (options.top_p) body["top_p"] = *options.top_p;
  if (options.seed) body["seed"] = *options.seed;
  if (options.max_tokens) {
    body[options.use_max_completion_tokens ? "max_completion_tokens" : "max_tokens"] =
        *options.max_tokens;
  }
  switch (options.structured) {
    case StructuredMode::kNone:
      break;
    case StructuredMode::kJsonSchema:
      body["response_format"] = {
          {"type", "json_schema"},
          {"json_schema",
           {{"name", options.schema_name}, {"schema", options.json_schema}, {"strict", true}}}};
      break;
    case StructuredMode::kVllm:
      body["structured_outputs"] = {{"json", options.json_schema}};
      break;
    case StructuredMode::kGuidedJson:
      body["guided_json"] = options.json_schema;
      break;
  }
  if (options.chat_template_kwargs.is_object() && !options.chat_template_kwargs.empty()) {
    body["chat_template_kwargs"] = options.chat_template_kwargs;
  }
  if (options.extra_body.is_object()) {
    for (const auto& [key, value] : options.extra_body.items()) body[key] = value;
  }
  return body;
}

nlohmann::json build_request_body(const nlohmann::json& messages, const RequestOptions& options) {
  nlohmann::json body = answer_parameters(options);
  body["messages"] = messages;
  if (options.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body;
}

nlohmann::json build_completion_body(const std::string& prompt, const RequestOptions& options) {
  nlohmann::json body = answer_parameters(options);
  body["prompt"] = prompt;
  if (options.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body;
}

bool is_deterministic(const RequestOptions& options) {
  return options.temperature.has_value() && *options.temperature == 0.0;
}

}  // namespace rrg::llm
