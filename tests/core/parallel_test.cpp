// parallel_for (rrg/core/parallel.h): every task runs exactly once, a lane never runs two tasks
// at once, and a failure is reported as the lowest failing task's exception.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "rrg/core/parallel.h"

namespace {

TEST(ParallelFor, EveryTaskRunsOnceOnAKnownLane) {
  for (const std::size_t lanes : {0, 1, 2, 7, 64}) {
    std::vector<std::atomic<int>> runs(1000);
    std::vector<std::atomic<int>> busy(64);
    std::atomic<bool> overlap{false};
    rrg::parallel_for(runs.size(), lanes, [&](std::size_t task, std::size_t lane) {
      ASSERT_LT(lane, std::max<std::size_t>(lanes, 1));
      if (busy[lane].fetch_add(1) != 0) overlap = true;
      runs[task].fetch_add(1);
      busy[lane].fetch_sub(1);
    });
    for (const auto& count : runs) EXPECT_EQ(count.load(), 1) << lanes << " lanes";
    EXPECT_FALSE(overlap.load()) << lanes << " lanes";
  }
}

TEST(ParallelFor, NoTasksNoCalls) {
  bool called = false;
  rrg::parallel_for(0, 4, [&](std::size_t, std::size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelFor, TheLowestFailingTaskIsReported) {
  for (const std::size_t lanes : {1, 2, 7}) {
    try {
      rrg::parallel_for(200, lanes, [](std::size_t task, std::size_t) {
        if (task == 37 || task == 150) throw std::runtime_error("task " + std::to_string(task));
      });
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "task 37") << lanes << " lanes";
    }
  }
}

TEST(ResolveThreads, ZeroMeansEveryCore) {
  EXPECT_EQ(rrg::resolve_threads(3), 3u);
  EXPECT_GE(rrg::resolve_threads(0), 1u);
}

}  // namespace
