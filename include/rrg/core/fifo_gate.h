// Admission in arrival order: at most `limit` callers inside at a time, the others waiting in a
// queue; a caller that leaves hands its place straight to the one that has waited longest (one
// wake-up, not a herd).
//
// rrg serve scores requests behind one: scoring is pure CPU, and with more requests computing
// than the cores can run, each is time-sliced against all the others, so the unlucky ones wait
// for many slices (a latency tail); admitted in order, each runs nearly to its end.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace rrg {

class FifoGate {
 public:
  explicit FifoGate(std::size_t limit) : limit_(limit == 0 ? 1 : limit) {}
  FifoGate(const FifoGate&) = delete;
  FifoGate& operator=(const FifoGate&) = delete;

  // Blocks until the caller is admitted; every enter() needs one leave() (see Pass).
  void enter();
  void leave();

  // enter() now, leave() at the end of the scope.
  class Pass {
   public:
    explicit Pass(FifoGate& gate) : gate_(gate) { gate_.enter(); }
    ~Pass() { gate_.leave(); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    FifoGate& gate_;
  };

  std::size_t limit() const { return limit_; }
  // Callers queued at this moment (for tests and health reports).
  std::size_t waiting();

 private:
  struct Waiter {
    std::condition_variable admitted_cv;
    bool admitted = false;
  };

  const std::size_t limit_;
  std::mutex mutex_;
  std::deque<Waiter*> waiters_;  // in arrival order
  std::size_t inside_ = 0;
};

}  // namespace rrg
