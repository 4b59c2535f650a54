// The one way the CLI runs a long job (rrg/core/job.h): Ctrl-C or SIGTERM cancels it, a progress
// bar shows it on stderr (redrawn on a terminal, log lines otherwise). Used by generate,
// --encoder-only, and labelling with an LLM in annotate and evaluate.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "interrupt_watcher.h"
#include "progress_bar.h"
#include "rrg/core/job.h"

namespace rrg::cli {

class JobRunner {
 public:
  // Starts watching for SIGINT/SIGTERM: construct it before any other thread exists, so that
  // every thread inherits the blocked signals.
  JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Runs `work`, which drives `job`, showing its progress under `label` unless `quiet` (log
  // lines every `log_interval_s` when stderr is not a terminal). An interrupt cancels `job`.
  void run(Job& job, const std::string& label, const std::function<void()>& work,
           bool quiet = false, double log_interval_s = 10.0);

  // True once SIGINT or SIGTERM arrived.
  bool interrupted() const { return watcher_.interrupted(); }

 private:
  std::atomic<Job*> running_{nullptr};
  InterruptWatcher watcher_;
};

}  // namespace rrg::cli
