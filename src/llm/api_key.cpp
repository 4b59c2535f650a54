// API key resolution and redaction (see api_key.h).
#include "rrg/llm/api_key.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "rrg/core/errors.h"

namespace rrg::llm {
namespace {

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

void replace_all(std::string& text, const std::string& needle, std::string_view replacement) {
  if (needle.empty()) return;
  std::size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), replacement);
    pos += replacement.size();
  }
}

std::string url_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

ApiKey::ApiKey(std::string value, std::string source)
    : value_(std::move(value)), source_(std::move(source)) {}

std::string ApiKey::redact(std::string_view text) const {
  std::string out(text);
  if (value_.empty()) return out;
  replace_all(out, value_, "[REDACTED]");
  const std::string encoded = url_encode(value_);
  if (encoded != value_) replace_all(out, encoded, "[REDACTED]");
  return out;
}

ApiKey load_api_key(const ApiKeyOptions& options) {
  if (!options.key_file.empty()) {
    std::ifstream in(options.key_file, std::ios::binary);
    if (!in) {
      throw InputError(options.key_file + ": cannot read the API key file (" +
                       std::strerror(errno) + ")");
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string key = trim(buffer.str());
    if (key.empty()) {
      throw InputError(options.key_file +
                       ": the API key file is empty; write the key on its first line");
    }
    if (key.find_first_of("\r\n") != std::string::npos) {
      throw InputError(options.key_file +
                       ": the API key file holds several lines; it must contain only the key");
    }
    return ApiKey(std::move(key), "key file " + options.key_file);
  }
  for (const auto& name : options.env_vars) {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) continue;
    std::string key = trim(value);
    if (!key.empty()) return ApiKey(std::move(key), "$" + name);
  }
  return ApiKey();
}

}  // namespace rrg::llm
