// The body of a Chat Completions request: model, messages and sampling/decoding fields, in the
// OpenAI wire format that vLLM, SGLang, Ollama, llama.cpp and OpenAI itself accept. The same
// fields also make a (legacy) Completions request, whose input is one prompt string instead of
// messages: base models and judges that need their own prompt template (e.g. GREEN's) use it.
//
// Structured output has three dialects (--structured):
//   json_schema  OpenAI `response_format: {type: json_schema, json_schema: {name, schema, strict}}`
//                (also vLLM >= 0.6, SGLang, Ollama >= 0.5, llama.cpp server);
//   vllm         vLLM >= 0.10 `structured_outputs: {json: schema}`;
//   guided_json  legacy vLLM/SGLang `guided_json: schema`;
//   none         no constraint (the prompt alone asks for JSON).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rrg::llm {

enum class StructuredMode { kNone, kJsonSchema, kVllm, kGuidedJson };

// Which OpenAI API a request goes to: Chat Completions (`<base>/chat/completions`, messages, the
// server applies the model's chat template) or Completions (`<base>/completions`, one prompt
// string sent as is).
enum class ApiEndpoint { kChatCompletions, kCompletions };

// "chat", "completions".
std::string_view api_endpoint_name(ApiEndpoint endpoint);

// Parses an endpoint name ("chat" or "completions"); throws rrg::InputError naming the values.
ApiEndpoint parse_api_endpoint(std::string_view name);

// "none", "json_schema", "vllm", "guided_json".
std::string_view structured_mode_name(StructuredMode mode);

// Parses a --structured value; throws rrg::InputError naming the valid values.
StructuredMode parse_structured_mode(std::string_view name);

struct RequestOptions {
  // Model name as the server knows it (`--model`), e.g. "Qwen/Qwen3-8B", "gpt-4o-mini".
  std::string model;
  // Sampling temperature; unset = the server's default. Only temperature 0 answers are cached.
  std::optional<double> temperature;
  // Nucleus sampling mass; unset = server default.
  std::optional<double> top_p;
  // Sampling seed; unset = not sent.
  std::optional<std::int64_t> seed;
  // Maximum generated tokens; unset = server default.
  std::optional<int> max_tokens;
  // Send the limit as `max_completion_tokens` (OpenAI o-series and newer models) instead of
  // `max_tokens`.
  bool use_max_completion_tokens = false;
  // Structured output dialect, and the JSON schema it enforces (ignored for kNone).
  StructuredMode structured = StructuredMode::kNone;
  nlohmann::json json_schema;
  // `json_schema.name` for the OpenAI dialect.
  std::string schema_name = "answer";
  // Extra arguments for the server's chat template, e.g. {"enable_thinking": false} (vLLM,
  // SGLang); null = not sent.
  nlohmann::json chat_template_kwargs;
  // Any other fields, merged into the body last (e.g. {"top_k": 20}); null = none.
  nlohmann::json extra_body;
  // Ask for server-sent events (`stream: true`, with usage in the last chunk).
  bool stream = false;
};

// The request body for `messages` (a JSON array of {role, content}; content may be a string or
// an array of parts such as {"type": "image_url", "image_url": {"url": "data:..."}}).
nlohmann::json build_request_body(const nlohmann::json& messages, const RequestOptions& options);

// The Completions request body for one prompt string (the same fields, `prompt` instead of
// `messages`).
nlohmann::json build_completion_body(const std::string& prompt, const RequestOptions& options);

// True when the answer is reproducible: temperature explicitly 0.
bool is_deterministic(const RequestOptions& options);

// Every field of the body that can change the answer, without the messages and without
// transport-only fields (stream); used in cache keys.
nlohmann::json answer_parameters(const RequestOptions& options);

}  // namespace rrg::llm
