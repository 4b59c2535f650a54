// One Job for a run made of several long stages (labelling with an LLM server, GREEN's judge
// requests, compare's resampling trials), so one progress bar and one Ctrl-C handler
// (job_runner.h) follow whichever stage is running.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

#include "rrg/core/job.h"

namespace rrg::cli {

class JobRelay final : public Job {
 public:
  // `background`: the stage shown when no other is running (the labeler's job), or nullptr.
  explicit JobRelay(Job* background = nullptr) : background_(background) {}

  // Makes `stage` (nullptr = none) the running stage: its progress is shown and cancel() reaches
  // it. A relay already cancelled cancels a stage as it starts. The stage it replaces leaves its
  // last progress behind: shown until another stage runs, so the final line of a run says what
  // its last stage did rather than "0/0".
  void relay(Job* stage);

  // The relay's own counters (compare's trials), shown when no stage is running.
  void update(std::uint64_t done, std::uint64_t total);
  const std::atomic<bool>* flag() const { return &cancelled_; }

  JobProgress progress() const override;

 private:
  void on_cancel() override;

  Job* const background_;
  mutable std::mutex mutex_;
  Job* stage_ = nullptr;
  std::optional<JobProgress> last_stage_;  // the progress of the stage relayed before
};

}  // namespace rrg::cli
