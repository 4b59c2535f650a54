// Reading Chat Completions responses: plain JSON bodies, server-sent-event streams, and the two
// error-body shapes servers use — OpenAI's `{"error": {"message", "type", "code", "param"}}`
// (also Ollama's `{"error": "text"}`) and vLLM's top-level
// `{"object": "error", "message", "type", "code"}`.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rrg::llm {

struct ChatAnswer {
  std::string content;    // answer text, thinking removed (see reasoning.h)
  std::string reasoning;  // thinking, from reasoning_content / reasoning fields or <think>
  bool reasoning_truncated = false;  // the model ran out of tokens while thinking
  std::string finish_reason;         // "stop", "length", ... ("" when the server sent none)
  std::string model;                 // model name the server reports
  nlohmann::json usage;              // the server's usage object, or null
};

enum class ResponseStatus {
  kOk,           // answer parsed
  kServerError,  // well-formed error body (not retried when the HTTP status was 2xx)
  kMalformed,    // not the expected JSON: truncated body, HTML page, ... (retried)
};

struct ParsedResponse {
  ResponseStatus status = ResponseStatus::kMalformed;
  ChatAnswer answer;
  std::string error;  // for kServerError / kMalformed: what went wrong, one line
};

// Parses a non-streaming response body (also accepts an SSE body, detected by its "data:" lines,
// for servers that stream regardless). Completions answers (`choices[0].text` instead of
// `choices[0].message`) are read the same way.
ParsedResponse parse_chat_response(std::string_view body);

// Parses a complete `text/event-stream` body: concatenates `choices[0].delta.content` (and
// reasoning deltas; `choices[0].text` for Completions streams), takes the last finish_reason and
// usage, stops at `data: [DONE]`.
ParsedResponse parse_chat_stream(std::string_view body);

// One line describing an error body, e.g. "rate_limit_exceeded: Rate limit reached (type
// requests)"; for bodies that are not JSON, their first 200 bytes with control characters
// escaped.
std::string describe_error_body(std::string_view body);

}  // namespace rrg::llm
