// The relay of a run's stages (see job_relay.h).
#include "job_relay.h"

namespace rrg::cli {

void JobRelay::relay(Job* stage) {
  std::lock_guard<std::mutex> lock(mutex_);
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
  if (total_ == 0 && background_ != nullptr) return background_->progress();
  return Job::progress();
}

void JobRelay::on_cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stage_ != nullptr) stage_->cancel();
  if (background_ != nullptr) background_->cancel();
}

}  // namespace rrg::cli
