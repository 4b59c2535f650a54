// `rrg generate`: one report per study from a vision-language model behind an OpenAI-compatible
// server, written to a crash-safe JSONL journal that a re-run resumes.
//
// Flow: the studies not yet in the output journal are prepared ahead of the requests by a pool
// of threads (images read, preprocessed and base64-encoded, prompt filled), then sent through the
// rrg::llm batch client (concurrency, retries with backoff, several servers), and each answer is
// appended to the journal as soon as it arrives. One record per study:
//   {"id", "output", "model", "images", "finish_reason", "usage", "latency_ms",
//    "error"?, "reasoning"?}
// "output" is the answer with any <think> reasoning removed (null when the study failed);
// "images" the study's image paths; "error" explains a failure (unreadable image, request failed
// after its retries, the model ran out of tokens while thinking); "reasoning" is kept with
// keep_reasoning. Failed records are retried by the next run of the same command (the journal
// drops them on open). Deterministic answers (temperature 0) are cached in the SQLite cache
// (namespace "generate-answer") under a key covering the servers, every answer-changing request
// field and the SHA-256 of the exact messages (images included).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rrg/core/job.h"
#include "rrg/io/datasets/study.h"
#include "rrg/llm/client.h"
#include "rrg/pipelines/generate_prompt.h"
#include "rrg/pipelines/generate_request.h"

namespace rrg::io {
class CacheDb;
}

namespace rrg::pipelines {

struct GenerateOptions {
  // Servers, model (client.request.model), concurrency, timeouts, retries, sampling fields.
  llm::ClientOptions client;
  // SQLite answer cache; "" = no cache. Only temperature-0 answers are read and written.
  std::string cache_path;
  // Keep the model's reasoning in the records ("reasoning").
  bool keep_reasoning = false;
  RequestImageOptions images;
  GeneratePromptOptions prompt;
  // The JSONL journal (required). An existing file is resumed unless `overwrite`.
  std::string output;
  // Start from an empty output instead of resuming.
  bool overwrite = false;
  // Also write {"test": [{"id", "output"}]} (successful studies, study order) here; "" = no.
  std::string seed_output;
  // Threads preparing images; 0 = one per hardware thread.
  int prepare_threads = 0;
  // Receives one-sentence notes during the run (resume information, foreign records).
  std::function<void(const std::string&)> on_message;
};

struct GenerateSummary {
  std::size_t studies = 0;             // studies given
  std::size_t already_done = 0;        // skipped: finished records already in the output
  std::size_t written = 0;             // records written by this run
  std::size_t failed = 0;              // of which with an error
  std::size_t image_errors = 0;        //   unreadable images (or hints failures)
  std::size_t request_errors = 0;      //   requests failed after all retries
  std::size_t truncated_thinking = 0;  // answers cut off while thinking (recorded as errors)
  std::size_t length_cut = 0;          // answers cut at the token limit (finish_reason "length")
  std::size_t cached = 0;              // answers from the cache
  std::size_t retries = 0;             // HTTP retries
  bool cancelled = false;              // cancel() stopped the run
};

// A Job: cancel() stops run() soon (requests in flight are abandoned; a re-run redoes them);
// progress() counts studies (retries: HTTP retries).
class Generator final : public Job {
 public:
  // Validates the options (InputError naming the problem), builds the prompt (unknown
  // placeholders fail here), opens the cache. `hints` fills {findings_hints} (may be null).
  explicit Generator(GenerateOptions options, FindingsHintsProvider* hints = nullptr);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Generates a record for every study whose id is not yet in the output, then writes the seed
  // file. Study ids must be unique.
  GenerateSummary run(const std::vector<io::Study>& studies);

  JobProgress progress() const override;

  // The cache key of a request (exposed for tests).
  std::string cache_key(const nlohmann::json& messages) const;

 private:
  GenerateOptions options_;
  FindingsHintsProvider* hints_;
  GeneratePrompt prompt_;
  std::unique_ptr<llm::ChatClient> client_;
  std::unique_ptr<io::CacheDb> cache_;
  std::string cache_key_prefix_;
  void on_cancel() override;
};

// One-line summary for the end of a run, e.g. "generate: 120 records written (3 failed: 1
// unreadable image, 2 request errors), 40 already done, 12 from cache, 5 retries".
std::string format_summary(const GenerateSummary& summary);

}  // namespace rrg::pipelines
