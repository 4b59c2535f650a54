// The batch engine that talks to OpenAI-compatible Chat Completions servers (vLLM, SGLang,
// Ollama, llama.cpp, OpenAI): many requests in flight over one curl multi handle, on the calling
// thread, with timeouts, retries and backoff, spread over one or more base URLs. With
// ClientOptions::endpoint = kCompletions the same engine sends Completions requests (a prompt
// string, answered in choices[0].text) instead.
//
// Usage: fill ClientOptions, then call run() with a job source and a result handler. run()
// pulls a job whenever a slot is free (so jobs can be prepared lazily, e.g. images encoded on
// demand), keeps up to `concurrency` requests in flight, and calls the handler on the same thread
// as each job finishes — successfully or with an explicit error after its last retry, never
// silently. Because handlers run one at a time on that thread, they can append to a Journal and
// a CacheDb without locking. stats() may be read from any thread (for a progress bar), and
// cancel() from any thread or a signal-watching thread stops the run: requests in flight are
// abandoned without a result (a resumed run redoes them).
//
// With several base URLs, each request goes to the server with the fewest requests in flight;
// a server that fails `endpoint_failure_threshold` times in a row (transport errors or 5xx) is
// taken out of rotation for `endpoint_cooldown_ms` (unless every server is out).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/llm/api_key.h"
#include "rrg/llm/request.h"
#include "rrg/llm/response.h"
#include "rrg/llm/retry_policy.h"

namespace rrg::llm {

struct ClientOptions {
  // Server base URLs including the API prefix, e.g. "http://127.0.0.1:8000/v1" or
  // "https://api.openai.com/v1"; requests go to <base>/chat/completions (or <base>/completions,
  // see `endpoint`). A URL that already ends in the endpoint's path is used as is. At least one
  // is required.
  std::vector<std::string> base_urls;
  // Chat Completions (jobs carry messages) or Completions (jobs carry a prompt string).
  ApiEndpoint endpoint = ApiEndpoint::kChatCompletions;
  // Sent as "Authorization: Bearer ..." when not empty; redacted from every error text.
  ApiKey api_key;
  // PEM file of extra root certificates trusted in addition to the system store (TLS
  // verification is always on). Empty = system store only.
  std::string ca_bundle;
  // Requests in flight at once (--concurrency).
  int concurrency = 16;
  // Time allowed to establish a connection (TCP + TLS), in milliseconds.
  int connect_timeout_ms = 10000;
  // Longest silence while waiting for or receiving the response, in milliseconds; a request
  // that receives nothing for this long is aborted and retried. 0 = no limit.
  int read_timeout_ms = 600000;
  // Upper bound of one attempt from start to end, in milliseconds; 0 = no limit.
  int request_timeout_ms = 0;
  RetryPolicy retry;
  // Request fields used for every job that does not bring its own.
  RequestOptions request;
  // Seed of the backoff jitter; 0 = seeded from the system's random device.
  std::uint64_t random_seed = 0;
  // Consecutive failures after which a server leaves the rotation, and for how long (ms).
  int endpoint_failure_threshold = 3;
  int endpoint_cooldown_ms = 30000;
};

struct ChatJob {
  // Caller's identifier, copied to the result (e.g. the report or study id).
  std::string id;
  // The messages array: [{"role": "system"|"user"|"assistant", "content": string or parts}].
  nlohmann::json messages;
  // The prompt string, for the Completions endpoint (messages is then unused).
  std::string prompt;
  // Request fields for this job; null = ClientOptions::request.
  std::shared_ptr<const RequestOptions> options;
  // Opaque value copied to the result (e.g. an index into the caller's tables).
  std::uint64_t tag = 0;
};

struct ChatResult {
  std::string id;
  std::uint64_t tag = 0;
  std::size_t sequence = 0;  // 0-based order in which the job was pulled from the source
  bool ok = false;
  std::string error;      // when !ok: what failed, which server, after how many attempts
  ChatAnswer answer;      // when ok
  long http_status = 0;   // status of the last attempt (0 = no HTTP response)
  int attempts = 0;       // HTTP attempts made (1 + retries)
  double latency_ms = 0;  // from the first attempt's start to the end, backoff included
  std::string base_url;   // server of the last attempt
};

// Counters since the client was created; consistent enough for progress displays.
struct ClientStats {
  std::size_t started = 0;     // jobs pulled from sources
  std::size_t succeeded = 0;   // results with ok
  std::size_t failed = 0;      // results with an error
  std::size_t retries = 0;     // attempts beyond the first
  std::size_t in_flight = 0;   // requests currently on the wire
  std::size_t waiting = 0;     // requests waiting for their backoff to expire
  double elapsed_seconds = 0;  // since the first run() began
};

class ChatClient {
 public:
  // Returns the next job, or std::nullopt when there are no more. Called on run()'s thread only
  // when a slot is free; it should not block for long (requests in flight wait meanwhile).
  using JobSource = std::function<std::optional<ChatJob>()>;
  using ResultHandler = std::function<void(ChatResult&&)>;

  // Throws rrg::InputError for unusable options (no base URL, bad URL scheme, missing CA file,
  // concurrency < 1).
  explicit ChatClient(ClientOptions options);
  ~ChatClient();
  ChatClient(const ChatClient&) = delete;
  ChatClient& operator=(const ChatClient&) = delete;

  // Runs until the source is exhausted and every job has a result, or until cancel(). An
  // exception thrown by the handler or the source stops the run and is rethrown.
  void run(const JobSource& source, const ResultHandler& on_result);

  // Convenience: runs `jobs` and returns their results in job order.
  std::vector<ChatResult> run_all(std::vector<ChatJob> jobs);

  // Thread-safe: stops run() as soon as possible.
  void cancel();

  // Thread-safe snapshot of the counters.
  ClientStats stats() const;

  const ClientOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The chat completions URL for a base URL ("http://h:1/v1" -> "http://h:1/v1/chat/completions").
std::string chat_completions_url(const std::string& base_url);

// The completions URL for a base URL ("http://h:1/v1" -> "http://h:1/v1/completions"; a URL
// ending in /chat/completions has that path replaced).
std::string completions_url(const std::string& base_url);

// The URL requests to `endpoint` go to.
std::string endpoint_url(const std::string& base_url, ApiEndpoint endpoint);

}  // namespace rrg::llm
