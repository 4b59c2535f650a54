// Turning Ctrl-C (SIGINT) and SIGTERM (Slurm's pre-emption signal) into a clean cancellation of
// a long job: the signals are blocked in every thread and a watcher thread waits for them
// (sigwait), then calls `on_signal` outside of signal-handler restrictions. The destructor
// restores nothing: create it once, before starting worker threads, for the job's lifetime.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace rrg::cli {

class SignalWatcher {
 public:
  explicit SignalWatcher(std::function<void()> on_signal);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // True once a signal has arrived.
  bool signalled() const { return signalled_; }

 private:
  std::function<void()> on_signal_;
  std::atomic<bool> done_{false};
  std::atomic<bool> signalled_{false};
  std::thread thread_;
};

}  // namespace rrg::cli
