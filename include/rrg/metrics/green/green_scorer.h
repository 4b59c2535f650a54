// The GREEN metric through any OpenAI-compatible server (vLLM, SGLang, ...) serving a GREEN
// judge (StanfordAIMI/GREEN-radllama2-7b) or another LLM: GREEN's prompt (green_prompt.h) filled
// with each (reference, candidate) pair, sent through rrg's batch LLM client (concurrency,
// retries honouring Retry-After, several servers, <think> handling), the answer read by GREEN's
// parser (green_parser.h) and summarised as GREEN does (green_summary.h).
//
// Every distinct pair — distinct after make_prompt's whitespace normalisation, i.e. distinct
// prompts — is requested once. Deterministic answers (temperature 0) are stored in the SQLite
// cache (rrg/io/cache_db.h, namespace "green-answer") as each arrives, under a key covering the
// served model name and every answer-changing request field (seed, token limit, the chat template
// sent), the endpoint, the prompt's SHA-256 and the SHA-256 of both normalised texts. Server URLs
// are not part of the key: the model name says which weights answer, so a job moved to another
// server reuses its answers (use --no-cache after swapping weights under one name). A re-run over
// the same pairs sends nothing; a run killed or cancelled midway resumes with only the missing
// pairs. A pair whose request fails after every retry, or whose judge ran out of tokens while
// thinking, gets an explicit error and is left out of the means (counted as excluded).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rrg/metrics/green/green_parser.h"
#include "rrg/metrics/green/green_summary.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/signature.h"

namespace rrg::io {
class CacheDb;
}  // namespace rrg::io

namespace rrg::llm {
class ChatClient;
struct RequestOptions;
}  // namespace rrg::llm

namespace rrg::metrics::green {

// Settings of the GREEN metric; the CLI flag each field is meant for is named in its comment
// (the server flags are those of `--labeler llm`, or their --green-* forms).
struct GreenOptions {
  // --green-base-url (repeatable), else --base-url: server base URLs, e.g.
  // http://127.0.0.1:8000/v1. Required.
  std::vector<std::string> base_urls;
  // --green-model: the model name the server serves, e.g. StanfordAIMI/GREEN-radllama2-7b.
  // Required.
  std::string model;
  // --api-key-file: empty = $RRG_API_KEY, else $OPENAI_API_KEY, else no key (local servers).
  std::string api_key_file;
  // --ca-bundle: PEM roots trusted in addition to the system store.
  std::string ca_bundle;
  // --concurrency: requests in flight.
  int concurrency = 16;
  // --max-retries: retries per request after the first attempt (then an explicit error).
  int max_retries = 5;
  // Backoff before the first retry and its cap, in ms (doubling in between; Retry-After wins).
  int initial_backoff_ms = 500;
  int max_backoff_ms = 30000;
  // --connect-timeout / --read-timeout / --request-timeout, in seconds (0 = no limit).
  double connect_timeout_s = 10;
  double read_timeout_s = 600;
  double request_timeout_s = 0;
  // --temperature: GREEN decodes greedily (do_sample=False), i.e. temperature 0; only
  // temperature-0 answers are cached.
  double temperature = 0.0;
  // --seed: sent with every request (unset = not sent).
  std::optional<std::int64_t> seed = 0;
  // --max-tokens: unset = the server's limit. GREEN generates up to max_length=2048 tokens of
  // prompt + answer; vLLM started with --max-model-len 2048 allows exactly that when unset.
  std::optional<int> max_tokens;
  // --green-endpoint: "chat" (/chat/completions, the server applies the chat template) or
  // "completions" (/completions with the prompt as text, for base models or templates of one's
  // own).
  std::string endpoint = "chat";
  // --green-chat-template: "" = none (chat: the server's template; completions: the prompt as
  // is); "green" = GREEN's own template (chat: sent as the request's `chat_template`, a vLLM
  // field; completions: GREEN's rendered template text around the prompt); a FILE = its text
  // (chat: a Jinja template sent as `chat_template`; completions: a text with `{prompt}`).
  std::string chat_template;
  // --green-parser: "green" (Stanford-AIMI/GREEN's parser) or "radeval" (RadEval's copy, which
  // reads Matched Findings from any line).
  std::string parser = "green";
  // --stream: server-sent events (same answers).
  bool stream = false;
  // --cache: SQLite cache file; empty = rrg::io::default_cache_path().
  std::string cache_path;
  // --no-cache: neither read nor write the cache.
  bool no_cache = false;
  // Seed of the client's backoff jitter (0 = random); for reproducible tests.
  std::uint64_t random_seed = 0;
};

// Counters for progress displays; safe to read from any thread while score() runs.
struct GreenProgress {
  std::size_t pairs = 0;           // distinct pairs of the current/last score() call
  std::size_t done = 0;            // pairs with a result
  std::size_t from_cache = 0;      // of which answered by the cache
  std::size_t request_errors = 0;  // requests that failed after every retry
  std::size_t answer_errors = 0;   // answers without a score (cut-off thinking, huge counts)
  std::size_t retries = 0;         // HTTP retries
};

struct GreenResult {
  std::vector<GreenSample> samples;  // one per (candidate, reference), in input order
  GreenSummary summary;
  std::size_t distinct_pairs = 0;
  std::size_t requests = 0;    // pairs sent to a server by this call (the rest came from cache)
  std::size_t from_cache = 0;  // pairs answered by the cache
  bool cancelled = false;      // cancel() stopped the call; unfinished pairs carry an error
};

class GreenScorer {
 public:
  // Validates the options (rrg::InputError naming the flag), reads a chat template file, loads
  // the API key, opens the cache.
  explicit GreenScorer(GreenOptions options);
  ~GreenScorer();
  GreenScorer(const GreenScorer&) = delete;
  GreenScorer& operator=(const GreenScorer&) = delete;

  // Scores candidates[i] against references[i]. Throws rrg::InputError when the sizes differ.
  GreenResult score(const std::vector<std::string>& candidates,
                    const std::vector<std::string>& references);

  // Thread-safe: stops the current score() as soon as possible; requests in flight are abandoned
  // (a re-run asks them again), answers already received stay cached.
  void cancel();

  GreenProgress progress() const;

  // One line for the end of a run, e.g. "GREEN: 120 pairs (100 from cache), 2 request errors, 0
  // unusable answers, 5 retries".
  std::string summary_line() const;

  // How the numbers of `key` (a green_metric_keys() entry) are computed:
  // "GREEN|model:<model>|prompt:green-<sha8>|temp:0|parser:green-1|version:..." plus
  // endpoint:completions, template:<id>, max_tokens:<n> and seed:<n> (when the temperature is
  // not 0) when they apply.
  Signature signature(const std::string& key = kGreenKey) const;

  // The cache key of a pair (exposed for tests and cache tools).
  std::string cache_key(const std::string& reference, const std::string& candidate) const;

  const GreenOptions& options() const { return options_; }
  GreenDialect dialect() const { return dialect_; }
  // "" (no template), "green-<sha8>" (built in) or "file-<sha8>".
  const std::string& template_id() const { return template_id_; }

 private:
  GreenOptions options_;
  GreenDialect dialect_;
  bool completions_ = false;
  std::string completion_template_;  // completions endpoint: text with {prompt}; "" = none
  std::string template_id_;
  std::unique_ptr<llm::RequestOptions> request_;
  std::unique_ptr<llm::ChatClient> client_;
  std::unique_ptr<io::CacheDb> cache_;
  std::string cache_key_prefix_;
  std::atomic<std::size_t> pairs_{0}, done_{0}, from_cache_{0}, request_errors_{0},
      answer_errors_{0};
};

}  // namespace rrg::metrics::green
