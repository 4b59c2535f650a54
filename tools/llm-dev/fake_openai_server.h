// A scripted OpenAI-compatible Chat Completions server on 127.0.0.1, for rrg's tests, the
// llm-dev program and the client benchmark. Not part of any library: it is test machinery.
//
// Behaviour is scripted per request by directives in the last user message,
// `[[rrg-test:D1,D2,...]]`, so that concurrent requests stay deterministic. Attempts are counted
// per distinct last-user-message text ("key"); "xN" directives apply to a key's first N attempts:
//   429xN:S       answer 429 with `Retry-After: S` (seconds)
//   429msxN:MS    answer 429 with `retry-after-ms: MS` only
//   500xN, 503xN  answer 500 (OpenAI error shape) / 503 (vLLM error shape)
//   slowxN:MS     wait MS milliseconds before answering
//   dropxN        send headers promising a body, then close the connection
//   badjsonxN     answer 200 with a body that is not JSON
//   401echo       answer 401 echoing the Authorization header in the error message
//   400vllm       answer 400 with vLLM's top-level {"object": "error"} body
// Answer shaping (every attempt):
//   fence (JSON in ```json fences), think (<think>..</think> before the answer), orphanthink
//   (reasoning then a bare </think>), reasoningfield (reasoning in `reasoning_content`),
//   truncthink (unclosed <think>, finish_reason "length"), prose (no JSON at all), missingkey
//   (drop "Edema"), strings ("yes"/"no" values), keycase (lower-case keys with underscores),
//   nested ({"labels": {...}}).
// The answer: when the message holds `<report>…</report>`, a toy labeler's JSON (an observation
// is 1 when its lower-cased name occurs in the report; with "-1" in the prompt, "possible X" is -1,
// "no X" is 0 and unmentioned is null); when it holds GREEN's prompt (data/prompts/green.v1.txt:
// "2. Reference Report:" ... "3. Candidate Report:" ...), the `green` mode below; otherwise
// "echo: " + the message. Requests with `"stream": true` get server-sent events. Every request
// is recorded (time, key, body, headers).
//
// Completions: POST /v1/completions with a `prompt` string is served like a chat request whose
// last user message is that prompt (same directives, same answers), answered in the Completions
// shape (choices[0].text; streamed as text pieces).
//
// green mode: the reference and candidate are read back from the prompt (as the prompt holds
// them, i.e. whitespace-normalised). An entry of FakeServerOptions::green_answers for that
// (reference, candidate) is the judge's answer text, verbatim; without one, a toy judge answers
// in GREEN's format: texts split into sentences at '.', compared case-insensitively (directives
// removed); matched findings = candidate sentences also in the reference, (a) = candidate
// sentences not in the reference, (b) = reference sentences not in the candidate, every other
// count 0. The answer-shaping directives (think, truncthink, ...) apply to either.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace rrg::llmdev {

struct FakeServerOptions {
  int port = 0;           // 0 = any free port
  int latency_ms = 0;     // added to every answer
  int threads = 128;      // handler threads (>= the client's concurrency)
  std::string cert_file;  // TLS when both are set
  std::string key_file;
  bool record_bodies = true;  // keep request bodies (off for benchmarks)
  // green mode: judge answers by (reference, candidate) as they appear in the prompt.
  std::map<std::pair<std::string, std::string>, std::string> green_answers;
};

// The toy GREEN judge's answer for a (reference, candidate) pair (see the header comment).
std::string toy_green_answer(const std::string& reference, const std::string& candidate);

struct RecordedRequest {
  std::string key;            // last user message text
  std::string body;           // request body (when record_bodies)
  std::string authorization;  // Authorization header ("" when absent)
  int attempt = 0;            // 1-based attempt number for this key
  double time_ms = 0;         // arrival, ms since the server started
};

class FakeOpenAiServer {
 public:
  explicit FakeOpenAiServer(FakeServerOptions options = {});
  ~FakeOpenAiServer();
  FakeOpenAiServer(const FakeOpenAiServer&) = delete;
  FakeOpenAiServer& operator=(const FakeOpenAiServer&) = delete;

  // Binds 127.0.0.1 and serves on a background thread; returns once accepting.
  void start();
  void stop();

  int port() const { return port_; }
  // "http://127.0.0.1:PORT/v1" (https when TLS).
  std::string base_url() const;

  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;
  // Arrival times (ms) of every attempt for a key containing `needle`.
  std::vector<double> attempt_times(const std::string& needle) const;
  // Attempts for the keys containing `needle`, summed.
  int attempts(const std::string& needle) const;

 private:
  struct Reply;
  void serve(const httplib::Request& request, httplib::Response& response, bool completions);
  void handle(const std::string& body, const std::string& authorization, bool completions,
              Reply& reply);

  FakeServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::chrono::steady_clock::time_point started_;
  mutable std::mutex mutex_;
  std::map<std::string, int> attempts_;
  std::vector<RecordedRequest> requests_;
  std::size_t count_ = 0;
};

}  // namespace rrg::llmdev
