// Data parallelism for rrg's CPU-bound stages (scoring, cleaning, labelling, formatting): a loop
// over task indices run on a few threads, each thread a "lane" that owns its scratch state.
//
// Results must never depend on the number of threads, so callers write each task's result to its
// own slot and keep every reduction (sums, means) in task order after the loop; the lanes only
// decide who computes what, never what is computed.
#pragma once

#include <cstddef>
#include <functional>

namespace rrg {

// The number of threads a `--threads N` value means: N, or every core of the machine when N is
// 0 (std::thread::hardware_concurrency, at least 1).
std::size_t resolve_threads(std::size_t requested);

// Calls body(task, lane) once for every task in [0, n_tasks), on min(lanes, n_tasks) threads
// (the calling thread is lane 0; lanes = 0 counts as 1). Tasks are claimed one at a time in
// increasing order, so faster lanes take more of them. Calls with the same lane never overlap:
// state indexed by lane needs no lock. When a body throws, no further task starts, the running
// ones finish, and the exception of the lowest failing task is rethrown.
void parallel_for(std::size_t n_tasks, std::size_t lanes,
                  const std::function<void(std::size_t task, std::size_t lane)>& body);

}  // namespace rrg
