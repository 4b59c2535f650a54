// Runs the statistics drivers' workers on several threads while the calling thread reports
// progress and watches for cancellation (private to rrg_stats).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace rrg::stats::detail {

struct ParallelRun {
  unsigned threads = 1;
  // The work of one thread; it returns early when `stop` becomes true (cancellation or another
  // worker's exception) and counts its finished units in `done`.
  std::function<void(unsigned thread, const std::atomic<bool>& stop,
                     std::atomic<std::uint64_t>& done)>
      worker;
  std::uint64_t total = 0;  // units, for progress
  const std::function<void(std::uint64_t, std::uint64_t)>* progress = nullptr;
  const std::atomic<bool>* cancel = nullptr;
};

// Returns when every worker has finished. Rethrows the first exception a worker threw; throws
// Cancelled when `cancel` was set before the work was done.
void run_parallel(const ParallelRun& run);

}  // namespace rrg::stats::detail
