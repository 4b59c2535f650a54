// The task loop of parallel.h: an atomic task counter shared by std::threads.
#include "rrg/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace rrg {

std::size_t resolve_threads(std::size_t requested) {
  if (requested > 0) return requested;
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

void parallel_for(std::size_t n_tasks, std::size_t lanes,
                  const std::function<void(std::size_t task, std::size_t lane)>& body) {
  lanes = std::min(std::max<std::size_t>(lanes, 1), n_tasks);
  if (lanes <= 1) {
    for (std::size_t task = 0; task < n_tasks; ++task) body(task, 0);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::size_t error_task = std::numeric_limits<std::size_t>::max();
  std::exception_ptr error;
  const auto run_lane = [&](std::size_t lane) {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t task = next.fetch_add(1, std::memory_order_relaxed);
      if (task >= n_tasks) return;
      try {
        body(task, lane);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (task < error_task) {
          error_task = task;
          error = std::current_exception();
        }
        failed.store(true, std::memory_order_relaxed);
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(lanes - 1);
  for (std::size_t lane = 1; lane < lanes; ++lane) threads.emplace_back(run_lane, lane);
  run_lane(0);
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace rrg
