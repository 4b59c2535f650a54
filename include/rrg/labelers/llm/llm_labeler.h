// The `llm` labeler: CheXpert labels from an LLM behind an OpenAI-compatible server (vLLM,
// SGLang, Ollama, OpenAI), through the rrg::llm batch client.
//
// Each distinct report becomes one chat request built from a prompt template (llm_prompt.h);
// answers are parsed robustly (llm_answer.h). Deterministic answers (temperature 0) are kept in
// the SQLite cache (rrg/io/cache_db.h, namespace "llm-answer") under a key covering the server
// URLs, every answer-changing request field, the prompt id and the SHA-256 of the report, so
// re-running an evaluation re-labels nothing it has seen and a killed run resumes from the
// cache. A report whose request fails after all retries, or whose answer does not parse, gets
// LabelResult::error (with the raw answer) — never a silent label.
//
// identity() = "llm:<model>@<prompt id>/<scheme>", e.g.
// "llm:Qwen/Qwen3-8B@rrg-chexpert14-uzeros.v1/binary".
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/core/job.h"
#include "rrg/labelers/labeler.h"
#include "rrg/labelers/llm/llm_answer.h"
#include "rrg/labelers/llm/llm_prompt.h"
#include "rrg/llm/server_options.h"

namespace rrg::io {
class CacheDb;
class Journal;
}  // namespace rrg::io

namespace rrg::llm {
class ChatClient;
struct RequestOptions;
}  // namespace rrg::llm

namespace rrg::labelers {

// Settings of the llm labeler; the CLI flag of each field is named in its comment.
struct LlmLabelerOptions {
  // The server, model, request fields, timeouts and answer cache (rrg/llm/server_options.h).
  llm::ServerOptions server;
  // --structured: json_schema (OpenAI response_format), vllm (structured_outputs), guided_json
  // (legacy vLLM) or none.
  std::string structured = "json_schema";
  // --label-scheme: binary (1/0, U-zeros) or chexpert4 (1/0/-1/blank).
  std::string label_scheme = "binary";
  // --prompt-file: template replacing the built-in prompt (see llm_prompt.h).
  std::string prompt_file;
};

// One labelled report, with what a journal record or a debugging user needs.
struct LlmLabel {
  std::size_t index = 0;   // position in the texts given to label_each()
  LabelResult result;      // labels, or error
  std::string raw_answer;  // the model's answer text, thinking removed
  std::string reasoning;   // the model's thinking, when it produced any
  bool from_cache = false;
  bool request_failed = false;  // error is a request failure (vs. an unparsable answer)
  int attempts = 0;             // HTTP attempts (0 when from the cache)
  double latency_ms = 0;
  std::string finish_reason;
  nlohmann::json usage;
};

// The labeler's counters in detail (the summary line); safe to read from any thread.
struct LlmLabelerCounts {
  std::size_t total = 0;           // reports submitted to label_each / label so far
  std::size_t done = 0;            // reports with a result
  std::size_t from_cache = 0;      // of which answered by the cache
  std::size_t request_errors = 0;  // requests that failed after all retries
  std::size_t parse_errors = 0;    // answers without valid labels
  std::size_t retries = 0;         // HTTP retries
};

class LlmLabeler final : public Labeler, public Job, public JournalingLabeler {
 public:
  // Validates the options (rrg::InputError naming the flag), loads the prompt and the API key,
  // opens the cache.
  explicit LlmLabeler(LlmLabelerOptions options);
  ~LlmLabeler() override;

  std::string name() const override { return "llm"; }
  std::string identity() const override;
  std::vector<LabelResult> label(const std::vector<std::string>& texts) override;

  // Labels `texts`, calling `on_label` (on this thread) as each finishes, in completion order.
  void label_each(const std::vector<std::string>& texts,
                  const std::function<void(LlmLabel&&)>& on_label);

  // Labels the (id, text) reports whose ids are not yet in `journal` and appends one record per
  // id: {"id", "labels": {observation: 1|0|-1|null}} plus "error" and "raw" when it failed (labels
  // then all null) and "reasoning" with keep_reasoning. Reports sharing a text are labelled once.
  JournalLabelStats label_into(const std::vector<std::pair<std::string, std::string>>& reports,
                               io::Journal& journal) override;

  // Job: cancel() stops the current label_each/label_into (unfinished reports get no result);
  // progress() counts reports (failed = request errors + unparsable answers).
  JobProgress progress() const override;
  LlmLabelerCounts counts() const;

  // One line for the end of a run, e.g. "llm: 120 reports, 100 from cache, 2 request errors, 1
  // unparsable answer, 5 retries".
  std::string summary() const override;

  // Labeler capabilities: labelling takes a while, with progress and cancellation.
  Job* job() override { return this; }
  JournalingLabeler* journaling() override { return this; }

  const LlmPrompt& prompt() const { return prompt_; }
  LabelScheme scheme() const { return scheme_; }

  // The cache key of a report text (exposed for tests and cache tools).
  std::string cache_key(const std::string& text) const;

 private:
  LlmLabelerOptions options_;
  LabelScheme scheme_;
  LlmPrompt prompt_;
  std::unique_ptr<llm::RequestOptions> request_;
  std::unique_ptr<llm::ChatClient> client_;
  std::unique_ptr<io::CacheDb> cache_;
  std::string cache_key_prefix_;
  void on_cancel() override;

  std::atomic<std::size_t> request_errors_{0}, parse_errors_{0};
};

}  // namespace rrg::labelers
