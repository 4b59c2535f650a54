// When and how long the LLM client waits before trying a request again.
//
// Retried: HTTP 408 (timeout), 409 (conflict/lock), 429 (rate limit), every 5xx, transport errors
// (refused or dropped connections, timeouts) and 2xx bodies that are not valid JSON. Not retried:
// other 4xx (a bad request or key does not get better) and TLS verification failures.
// The delay before retry n (1-based) is min(max_backoff, initial_backoff * 2^(n-1)), shrunk by up
// to `jitter` at random so that many clients do not retry in lock-step (the schedule of the
// OpenAI Python client). When the server says how long to wait (`retry-after-ms`, else
// `Retry-After` in seconds or as an HTTP date), the delay is never shorter than that, capped at
// max_retry_after_ms.
#pragma once

#include <ctime>
#include <optional>
#include <string_view>

namespace rrg::llm {

struct RetryPolicy {
  // Retries after the first attempt; 0 disables retrying. After the last one the request fails
  // with an explicit error.
  int max_retries = 5;
  // Delay before the first retry, in milliseconds; doubles with each further retry.
  int initial_backoff_ms = 500;
  // Upper bound of the exponential delay, in milliseconds.
  int max_backoff_ms = 30000;
  // Fraction of the delay removed at random (0 = deterministic delays; 0.25 = 75-100%).
  double jitter = 0.25;
  // Longest server-requested wait honoured, in milliseconds.
  int max_retry_after_ms = 120000;
};

// True for 408, 409, 429 and 500-599.
bool is_retryable_status(long status);

// The wait the server asked for, in milliseconds: `retry-after-ms` (OpenAI) when present and
// valid, else `Retry-After` as delta-seconds or an HTTP date (relative to `now`). Empty strings
// mean "header absent".
std::optional<long long> server_retry_delay_ms(std::string_view retry_after_ms,
                                               std::string_view retry_after, std::time_t now);

// Delay before retry number `retry` (1-based); `uniform01` is a random number in [0, 1).
long long backoff_delay_ms(const RetryPolicy& policy, int retry,
                           std::optional<long long> server_delay_ms, double uniform01);

}  // namespace rrg::llm
