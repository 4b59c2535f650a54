// Turning Ctrl-C (SIGINT) and SIGTERM (Slurm pre-emption, `kill`) into an orderly stop of a long
// job: while an InterruptWatcher lives, those signals are blocked in every thread and a watcher
// thread receives them (sigwait) and calls `on_interrupt` — e.g. LlmLabeler::cancel() — outside
// signal-handler restrictions, so the job can close its journal and say how to resume.
//
// Construct it before starting any other thread (threads inherit the signal mask).
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include <signal.h>

namespace rrg::cli {

class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> on_interrupt);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  // True once SIGINT or SIGTERM arrived.
  bool interrupted() const { return interrupted_; }

 private:
  sigset_t previous_mask_;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace rrg::cli
