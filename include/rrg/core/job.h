// The one interface of rrg's long-running work (generating reports, encoding images, labelling
// with an LLM): progress counters that any thread may read while the work runs, and a
// cancellation request that any thread (a Ctrl-C handler) may make. The CLI drives every job the
// same way through it: one progress bar, one interrupt handler, one summary line.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>

namespace rrg {

struct JobProgress {
  std::size_t done = 0;     // items finished (including failed and cached)
  std::size_t total = 0;    // items to do in this run
  std::size_t failed = 0;   // items finished with an error
  std::size_t retries = 0;  // retried requests
  std::size_t cached = 0;   // items answered from a cache
};

class Job {
 public:
  virtual ~Job() = default;

  // Thread-safe: asks the running work to stop soon; what is finished stays finished (journals,
  // caches), so the same command resumes.
  void cancel() {
    cancelled_.store(true);
    on_cancel();
  }
  bool cancel_requested() const { return cancelled_.load(); }

  // Safe from any thread while the job runs: the counters, plus what derived jobs add.
  virtual JobProgress progress() const;

  // One line for the end of a run ("" when the job has nothing to add to its own result).
  virtual std::string summary() const { return ""; }

 protected:
  // Runs inside cancel() after the request is recorded (e.g. to abort requests in flight).
  virtual void on_cancel() {}
  // Starts a new run: resets the counters (a cancellation request stays: a job cancelled
  // before it started does not start).
  void start_run(std::size_t total);

  std::atomic<std::size_t> total_{0}, done_{0}, failed_{0}, cached_{0};
  // Set by cancel(); a job may also set it itself to stop its workers after a failure.
  std::atomic<bool> cancelled_{false};
};

}  // namespace rrg
