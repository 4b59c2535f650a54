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

#include "rrg/labelers/labeler.h"
#include "rrg/labelers/llm/llm_answer.h"
#include "rrg/labelers/llm/llm_prompt.h"

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
  // --base-url (repeatable): server base URLs, e.g. http://127.0.0.1:8000/v1. Required.
  std::vector<std::string> base_urls;
  // --model: model name as the server knows it. Required.
  std::string model;
  // --api-key-file: file holding the API key; empty = $RRG_API_KEY, else $OPENAI_API_KEY, else
  // no key (local servers).
  std::string api_key_file;
  // --ca-bundle: PEM roots trusted in addition to the system store.
  std::string ca_bundle;
  // --concurrency: requests in flight.
  int concurrency = 16;
  // --max-retries: retries per request after the first attempt (then an explicit error).
  int max_retries = 5;
  // --connect-timeout / --read-timeout / --request-timeout, in seconds; read = longest silence
  // from the server; request = bound of one attempt (0 = none).
  double connect_timeout_s = 10;
  double read_timeout_s = 600;
  double request_timeout_s = 0;
  // --structured: json_schema (OpenAI response_format), vllm (structured_outputs), guided_json
  // (legacy vLLM) or none.
  std::string structured = "json_schema";
  // --label-scheme: binary (1/0, U-zeros) or chexpert4 (1/0/-1/blank).
  std::string label_scheme = "binary";
  // --prompt-file: template replacing the built-in prompt (see llm_prompt.h).
  std::string prompt_file;
  // --temperature: sampling temperature; only 0 answers are cached.
  double temperature = 0.0;
  // --top-p, --seed, --max-tokens: sent only when set.
  std::optional<double> top_p;
  std::optional<std::int64_t> seed;
  std::optional<int> max_tokens;
  // --max-completion-tokens: send the limit as max_completion_tokens (OpenAI o-series).
  bool use_max_completion_tokens = false;
  // --chat-template-kwargs: JSON object, e.g. {"enable_thinking": false}; empty = not sent.
  std::string chat_template_kwargs;
  // --stream: use server-sent events (same answers; keeps proxies with idle timeouts happy).
  bool stream = false;
  // --cache: SQLite cache file; empty = rrg::io::default_cache_path().
  std::string cache_path;
  // --no-cache: neither read nor write the cache.
  bool no_cache = false;
  // --keep-reasoning: journal records carry the model's reasoning ("reasoning" key).
  bool keep_reasoning = false;
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

// Counters for progress displays and the end-of-run summary; safe to read from any thread.
struct LlmLabelerProgress {
  std::size_t total = 0;           // reports submitted to label_each / label so far
  std::size_t done = 0;            // reports with a result
  std::size_t from_cache = 0;      // of which answered by the cache
  std::size_t request_errors = 0;  // requests that failed after all retries
  std::size_t parse_errors = 0;    // answers without valid labels
  std::size_t retries = 0;         // HTTP retries
};

// What label_into() did.
struct JournalLabelStats {
  std::size_t skipped = 0;  // ids already in the journal
  std::size_t written = 0;  // records appended
  std::size_t failed = 0;   // of which carry an error
};

class LlmLabeler final : public Labeler {
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
                               io::Journal& journal);

  // Thread-safe: stops the current label_each/label_into; unfinished reports get no result.
  void cancel();

  LlmLabelerProgress progress() const;

  // One line for the end of a run, e.g. "llm: 120 reports, 100 from cache, 2 request errors, 1
  // unparsable answer, 5 retries".
  std::string summary() const;

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
  std::atomic<std::size_t> total_{0}, done_{0}, from_cache_{0}, request_errors_{0},
      parse_errors_{0};
};

}  // namespace rrg::labelers
