// FifoGate (rrg/core/fifo_gate.h): never more than `limit` callers inside, and waiting callers
// admitted strictly in the order they arrived.
#include "rrg/core/fifo_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace {

TEST(FifoGate, NeverMoreThanTheLimitInside) {
  rrg::FifoGate gate(3);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 200; ++k) {
        const rrg::FifoGate::Pass pass(gate);
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(inside.load(), 0);
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 1);
}

TEST(FifoGate, WaitersAreAdmittedInArrivalOrder) {
  rrg::FifoGate gate(1);
  gate.enter();  // the gate is full: everyone below waits
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      const rrg::FifoGate::Pass pass(gate);
      const std::lock_guard<std::mutex> lock(order_mutex);
      order.push_back(t);
    });
    // Thread t + 1 starts only once t is queued, so the arrival order is 0, 1, 2, ...
    while (gate.waiting() < static_cast<std::size_t>(t + 1)) std::this_thread::yield();
  }
  gate.leave();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(FifoGate, ZeroMeansOne) {
  rrg::FifoGate gate(0);
  EXPECT_EQ(gate.limit(), 1u);
  gate.enter();
  gate.leave();
}

}  // namespace
