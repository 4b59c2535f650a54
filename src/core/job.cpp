// Job's shared counters (see job.h).
#include "rrg/core/job.h"

namespace rrg {

JobProgress Job::progress() const {
  JobProgress p;
  p.total = total_;
  p.done = done_;
  p.failed = failed_;
  p.cached = cached_;
  return p;
}

void Job::start_run(std::size_t total) {
  total_ = total;
  done_ = 0;
  failed_ = 0;
  cached_ = 0;
}

}  // namespace rrg
