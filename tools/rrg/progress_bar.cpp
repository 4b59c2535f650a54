// Terminal progress bar and periodic progress log lines (see progress_bar.h).
#include "progress_bar.h"

#include <unistd.h>

#include <cmath>

namespace rrg::cli {
namespace {

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long total = std::lround(seconds);
  char buffer[32];
  if (total >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60,
                  total % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
  }
  return buffer;
}

}  // namespace

bool stderr_is_tty() {
  return ::isatty(STDERR_FILENO) == 1;
}

std::string ProgressBar::format(const std::string& label, const ProgressCounts& counts,
                                double elapsed_s, bool tty) {
  const double fraction =
      counts.total > 0 ? static_cast<double>(counts.done) / static_cast<double>(counts.total) : 1.0;
  // Cached items are instant: the rate (and so the ETA) counts only the work really done.
  const std::size_t worked = counts.done >= counts.cached ? counts.done - counts.cached : 0;
  const double rate = elapsed_s > 0 ? static_cast<double>(worked) / elapsed_s : 0.0;
  const std::size_t left = counts.total > counts.done ? counts.total - counts.done : 0;
  const double eta = left == 0 ? 0.0 : (rate > 0 ? static_cast<double>(left) / rate : NAN);
  char numbers[160];
  std::snprintf(numbers, sizeof numbers, "%zu/%zu (%.1f%%), %.1f/s, elapsed %s, ETA %s",
                counts.done, counts.total, 100.0 * fraction, rate, duration_text(elapsed_s).c_str(),
                duration_text(eta).c_str());
  std::string extras;
  if (counts.failed > 0) extras += ", " + std::to_string(counts.failed) + " failed";
  if (counts.retries > 0) extras += ", " + std::to_string(counts.retries) + " retries";
  if (counts.cached > 0) extras += ", " + std::to_string(counts.cached) + " cached";
  if (!tty) return "rrg: " + label + ": " + numbers + extras;
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(std::floor(fraction * kWidth));
  std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                    std::string(static_cast<std::size_t>(kWidth - filled), '-') + "]";
  return label + " " + bar + " " + numbers + extras;
}

ProgressBar::ProgressBar(ProgressBarOptions options, std::function<ProgressCounts()> poll)
    : options_(std::move(options)),
      poll_(std::move(poll)),
      start_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this] { loop(); });
}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::loop() {
  const double interval = options_.tty ? options_.tty_interval_s : options_.log_interval_s;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::duration<double>(interval));
    if (stop_) break;
    print(/*final_line=*/false);
  }
}

void ProgressBar::print(bool final_line) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::string line = format(options_.label, poll_(), elapsed, options_.tty);
  if (options_.tty) {
    // \r and "erase to end of line" redraw in place; the last state stays on screen.
    std::fprintf(options_.out, "\r%s\x1b[K%s", line.c_str(), final_line ? "\n" : "");
  } else {
    std::fprintf(options_.out, "%s\n", line.c_str());
  }
  std::fflush(options_.out);
}

void ProgressBar::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    finished_ = true;
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  print(/*final_line=*/true);
}

}  // namespace rrg::cli
