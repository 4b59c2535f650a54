// The CLI's job runner (see job_runner.h).
#include "job_runner.h"

#include <memory>

namespace rrg::cli {

JobRunner::JobRunner()
    : watcher_([this] {
        if (Job* job = running_.load()) job->cancel();
      }) {}

void JobRunner::run(Job& job, const std::string& label, const std::function<void()>& work,
                    bool quiet, double log_interval_s) {
  running_ = &job;
  // An interrupt that came before the job was attached cancels it now.
  if (watcher_.interrupted()) job.cancel();
  std::unique_ptr<ProgressBar> bar;
  if (!quiet) {
    ProgressBarOptions options;
    options.label = label;
    options.tty = stderr_is_tty();
    options.log_interval_s = log_interval_s;
    bar = std::make_unique<ProgressBar>(options, [&job] { return job.progress(); });
  }
  try {
    work();
  } catch (...) {
    running_ = nullptr;
    throw;
  }
  if (bar) bar->finish();
  running_ = nullptr;
}

}  // namespace rrg::cli
