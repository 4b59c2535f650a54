// SIGINT/SIGTERM watcher thread (see signal_watcher.h).
#include "signal_watcher.h"

#include <pthread.h>
#include <signal.h>

namespace rrg::cli {

SignalWatcher::SignalWatcher(std::function<void()> on_signal) : on_signal_(std::move(on_signal)) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);  // only used by the destructor to wake the watcher
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this, set] {
    while (true) {
      int signal_number = 0;
      sigwait(&set, &signal_number);
      if (done_) return;
      if (signal_number == SIGUSR1) continue;
      signalled_ = true;
      on_signal_();
    }
  });
}

SignalWatcher::~SignalWatcher() {
  done_ = true;
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

}  // namespace rrg::cli
