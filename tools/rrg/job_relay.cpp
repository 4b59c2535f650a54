// The relay of a run's stages (see job_relay.h).
#include "job_relay.h"

namespace rrg::cli {

void JobRelay::relay(Job* stage) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stage_ != nullptr && stage_ != stage) last_stage_ = stage_->progress();
  stage_ = stage;
  if (stage_ != nullptr && cancel_requested()) stage_->cancel();
}

void JobRelay::update(std::uint64_t done, std::uint64_t total) {
  total_ = total;
  done_ = done;
}

JobProgress JobRelay::progress() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stage_ != nullptr) return stage_->progress();
  if (total_ == 0 && background_ != nullptr) {
    const JobProgress background = background_->progress();
    if (background.total > 0 || !last_stage_) return background;
  }
  if (total_ == 0 && last_stage_) return *last_stage_;
  return Job::progress();
}

void JobRelay::on_cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stage_ != nullptr) stage_->cancel();
  if (background_ != nullptr) background_->cancel();
}

}  // namespace rrg::cli
