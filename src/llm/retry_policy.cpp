// Retry decisions and backoff delays (see retry_policy.h).
#include "rrg/llm/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "curl_library.h"

namespace rrg::llm {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

}  // namespace

bool is_retryable_status(long status) {
  return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

std::optional<long long> server_retry_delay_ms(std::string_view retry_after_ms,
                                               std::string_view retry_after, std::time_t now) {
  if (const auto ms = parse_number(retry_after_ms)) return static_cast<long long>(std::ceil(*ms));
  if (const auto seconds = parse_number(retry_after)) {
    return static_cast<long long>(std::ceil(*seconds * 1000.0));
  }
  const auto text = trim(retry_after);
  if (!text.empty()) {
    // An HTTP date (RFC 9110 IMF-fixdate and the obsolete forms curl_getdate understands).
    const std::string copy(text);
    // libcurl is loaded already: the client calls this with a response's headers.
    const std::time_t when = detail::curl_library().getdate(copy.c_str(), nullptr);
    if (when != -1) return std::max<long long>(0, static_cast<long long>(when - now) * 1000);
  }
  return std::nullopt;
}

long long backoff_delay_ms(const RetryPolicy& policy, int retry,
                           std::optional<long long> server_delay_ms, double uniform01) {
  const double exponential = std::min<double>(
      policy.max_backoff_ms, policy.initial_backoff_ms * std::pow(2.0, std::max(0, retry - 1)));
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  auto delay = static_cast<long long>(exponential * (1.0 - jitter * uniform01));
  if (server_delay_ms) {
    delay = std::max(delay, std::min<long long>(*server_delay_ms, policy.max_retry_after_ms));
  }
  return std::max<long long>(0, delay);
}

}  // namespace rrg::llm
