// Admission in arrival order (see fifo_gate.h).
#include "rrg/core/fifo_gate.h"

namespace rrg {

void FifoGate::enter() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (inside_ < limit_ && waiters_.empty()) {
    ++inside_;
    return;
  }
  Waiter self;
  waiters_.push_back(&self);
  self.admitted_cv.wait(lock, [&] { return self.admitted; });
}

void FifoGate::leave() {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (waiters_.empty()) {
    --inside_;
    return;
  }
  // The place passes to the longest waiter. It is notified under the lock: it cannot see
  // `admitted`, return and destroy its Waiter before notify_one() is done with it.
  Waiter* next = waiters_.front();
  waiters_.pop_front();
  next->admitted = true;
  next->admitted_cv.notify_one();
}

std::size_t FifoGate::waiting() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return waiters_.size();
}

}  // namespace rrg
