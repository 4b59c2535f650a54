// A progress display for long CLI jobs (LLM labeling, `rrg generate`): a redrawn bar on stderr
// when it is a terminal, plain log lines every `log_interval_s` otherwise (Slurm logs, pipes).
//
// The bar owns a background thread that polls a counts function (e.g. from
// LlmLabeler::progress() or ChatClient::stats(), which are thread-safe) and prints; libraries
// never print themselves. Shows done/total, percentage, rate, ETA, failures, retries and cache
// hits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "rrg/core/job.h"

namespace rrg::cli {

// What the bar shows: a job's counters (rrg/core/job.h).
using ProgressCounts = JobProgress;

struct ProgressBarOptions {
  std::string label = "rrg";  // e.g. "annotate"
  std::FILE* out = stderr;
  bool tty = false;              // redraw one line (use stderr_is_tty())
  double tty_interval_s = 0.2;   // redraw period on a terminal
  double log_interval_s = 10.0;  // period of log lines otherwise
};

bool stderr_is_tty();

class ProgressBar {
 public:
  ProgressBar(ProgressBarOptions options, std::function<ProgressCounts()> poll);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Stops the thread and prints the final state once (idempotent).
  void finish();

  // One display line (without "\r" or "\n"); `elapsed_s` since the start.
  static std::string format(const std::string& label, const ProgressCounts& counts,
                            double elapsed_s, bool tty);

 private:
  void loop();
  void print(bool final_line);

  ProgressBarOptions options_;
  std::function<ProgressCounts()> poll_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool finished_ = false;
  std::thread thread_;
};

}  // namespace rrg::cli
