// Per-word state that a scorer's workers keep from one scoring call to the next.
//
// A sample worker (sample_loop.h) lives for one scoring call. Some carry caches keyed by words —
// METEOR's stems and synonym sets, rouge-score's stemmed tokens — that a long-lived scorer
// (`rrg serve`, one call per request) would otherwise rebuild for every call. The scorer owns a
// StatePool; a worker takes a state from it when made and gives it back when destroyed, so the
// next call's worker starts with the words seen before. What a state caches depends only on the
// words (never on which call saw them first), so no value depends on the reuse. States are given
// back only when they are consistent and below their size bound (the caller decides), and at
// most kMaxIdle wait in the pool: memory stays bounded.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace rrg::metrics {

template <typename State>
class StatePool {
 public:
  static constexpr std::size_t kMaxIdle = 64;

  // A state given back earlier, or null (the caller makes a new one).
  std::unique_ptr<State> take() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.empty()) return nullptr;
    std::unique_ptr<State> state = std::move(idle_.back());
    idle_.pop_back();
    return state;
  }

  void give(std::unique_ptr<State> state) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(state));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<State>> idle_;
};

}  // namespace rrg::metrics
