// SIGINT/SIGTERM watcher thread (see interrupt_watcher.h).
#include "interrupt_watcher.h"

#include <pthread.h>

namespace rrg::cli {

InterruptWatcher::InterruptWatcher(std::function<void()> on_interrupt) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);  // wakes the watcher when the job ends
  pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
  thread_ = std::thread([this, set, on_interrupt = std::move(on_interrupt)] {
    while (true) {
      int signal_number = 0;
      if (sigwait(&set, &signal_number) != 0) continue;
      if (done_) return;
      if (signal_number == SIGUSR2) continue;
      interrupted_ = true;
      on_interrupt();
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  done_ = true;
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace rrg::cli
