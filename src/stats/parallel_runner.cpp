// Worker threads with progress on the calling thread (see parallel_runner.h).
#include "parallel_runner.h"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "rrg/stats/cancelled.h"

namespace rrg::stats::detail {

void run_parallel(const ParallelRun& run) {
  const unsigned threads = run.threads == 0 ? 1 : run.threads;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> done{0};
  std::mutex mutex;
  std::condition_variable finished_cv;
  unsigned finished = 0;
  std::exception_ptr failure;

  auto cancelled = [&] { return run.cancel != nullptr && run.cancel->load(); };
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        if (cancelled()) {
          stop = true;
        } else {
          run.worker(t, stop, done);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
      std::lock_guard<std::mutex> lock(mutex);
      ++finished;
      finished_cv.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (finished < threads) {
      finished_cv.wait_for(lock, std::chrono::milliseconds(100));
      if (cancelled()) stop = true;
      if (finished < threads && run.progress != nullptr && *run.progress) {
        lock.unlock();
        (*run.progress)(done.load(), run.total);
        lock.lock();
      }
    }
  }
  for (std::thread& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
  if (stop) throw Cancelled();  // only cancellation sets it without a failure
  if (run.progress != nullptr && *run.progress) (*run.progress)(run.total, run.total);
}

}  // namespace rrg::stats::detail
