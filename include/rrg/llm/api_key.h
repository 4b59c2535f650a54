// The API key of an OpenAI-compatible server, and keeping it secret.
//
// The key comes from a key file (--api-key-file) or the environment (RRG_API_KEY, then
// OPENAI_API_KEY). It is only ever sent in the Authorization header: ApiKey has no stream
// operator, and every error text the LLM client produces passes through redact(), which replaces
// the key (and its URL-encoded form) with "[REDACTED]", so a server that echoes the header back
// cannot make rrg print it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rrg::llm {

class ApiKey {
 public:
  ApiKey() = default;
  // `source` says where the key came from, for messages ("$RRG_API_KEY", "key file /x/key").
  ApiKey(std::string value, std::string source);

  bool empty() const { return value_.empty(); }
  // The secret itself: only for building the Authorization header.
  const std::string& value() const { return value_; }
  const std::string& source() const { return source_; }

  // `text` with every occurrence of the key replaced by "[REDACTED]".
  std::string redact(std::string_view text) const;

 private:
  std::string value_;
  std::string source_;
};

struct ApiKeyOptions {
  // File holding the key (surrounding whitespace ignored); takes precedence over the environment.
  std::string key_file;
  // Environment variables tried in order when no file is given.
  std::vector<std::string> env_vars = {"RRG_API_KEY", "OPENAI_API_KEY"};
};

// Resolves the key: the key file when given (an unreadable or empty file is an rrg::InputError),
// else the first non-empty environment variable, else an empty key (local servers need none).
ApiKey load_api_key(const ApiKeyOptions& options);

}  // namespace rrg::llm
