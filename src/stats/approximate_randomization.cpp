// Paired approximate randomization (see approximate_randomization.h).
#include "rrg/stats/approximate_randomization.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "parallel_runner.h"
#include "rrg/core/errors.h"
#include "rrg/stats/python_random.h"

namespace rrg::stats {
namespace {

// With several threads the trials are cut into about this many segments per thread, so that
// fast threads take over from slow ones (segments hold at least min_segment_draws draws).
constexpr std::uint64_t kChunksPerThread = 4;
constexpr std::uint64_t kProgressEvery = 64;  // trials between progress and stop checks

}  // namespace

std::string p_value_convention_name(PValueConvention convention) {
  return convention == PValueConvention::kNoreen ? "noreen" : "radeval";
}

PValueConvention parse_p_value_convention(const std::string& name) {
  if (name == "radeval") return PValueConvention::kRadEval;
  if (name == "noreen") return PValueConvention::kNoreen;
  throw InputError("unknown p-value convention '" + name +
                   "': use radeval (count / trials) or noreen ((count + 1) / (trials + 1))");
}

std::string approximate_randomization_signature(const ApproximateRandomizationOptions& options) {
  return "ar:" + std::to_string(options.trials) + "|seed:" + std::to_string(options.seed) +
         "|pvalue:" + p_value_convention_name(options.convention);
}

std::vector<ApproximateRandomizationResult> approximate_randomization(
    const std::vector<const PairedMetric*>& jobs, std::size_t samples,
    const ApproximateRandomizationOptions& options) {
  if (options.trials == 0) {
    throw InputError("approximate randomization needs at least 1 trial (got 0)");
  }
  if (samples == 0) throw InputError("approximate randomization needs at least 1 sample");
  std::vector<ApproximateRandomizationResult> results(jobs.size());
  if (jobs.empty()) return results;

  const std::size_t words = PythonRandom::words_per_mask(samples);
  {
    const std::vector<std::uint64_t> none(words, 0);
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      const auto [a, b] = jobs[j]->trial(none.data());
      results[j].value_a = a;
      results[j].value_b = b;
      results[j].observed_delta = std::fabs(b - a);
    }
  }

  // Global trial g belongs to job g / trials and starts at draw g * samples of the stream.
  const std::uint64_t trials = options.trials;
  const std::uint64_t total = trials * jobs.size();
  const unsigned threads = std::max(1u, options.threads);
  std::uint64_t chunk_trials = total;
  if (threads > 1) {
    const std::uint64_t by_count =
        (total + threads * kChunksPerThread - 1) / (threads * kChunksPerThread);
    const std::uint64_t by_size = (options.min_segment_draws + samples - 1) / samples;
    chunk_trials = std::max<std::uint64_t>(1, std::max(by_count, by_size));
  }
  const std::uint64_t chunks = (total + chunk_trials - 1) / chunk_trials;

  const PythonRandom seeded(options.seed);
  std::atomic<std::uint64_t> next_chunk{0};
  std::mutex merge_mutex;
  std::vector<std::uint64_t> counts(jobs.size(), 0);

  detail::ParallelRun run;
  run.threads = threads;
  run.total = total;
  run.progress = &options.progress;
  run.cancel = options.cancel;
  run.worker = [&](unsigned, const std::atomic<bool>& stop, std::atomic<std::uint64_t>& done) {
    PythonRandom rng = seeded;
    std::uint64_t at_trial = 0;  // the global trial rng's next draw starts
    std::vector<std::uint64_t> mask(words);
    std::vector<std::uint64_t> local(jobs.size(), 0);
    for (std::uint64_t c; (c = next_chunk.fetch_add(1)) < chunks && !stop;) {
      const std::uint64_t begin = c * chunk_trials;
      const std::uint64_t end = std::min(total, begin + chunk_trials);
      if (begin != at_trial) rng.skip_draws((begin - at_trial) * samples);
      std::uint64_t pending = 0;
      for (std::uint64_t g = begin; g < end; ++g) {
        const std::size_t job = static_cast<std::size_t>(g / trials);
        rng.swap_bits(mask.data(), samples);
        const auto [a, b] = jobs[job]->trial(mask.data());
        if (std::fabs(b - a) >= results[job].observed_delta) ++local[job];
        if (++pending == kProgressEvery) {
          done += pending;
          pending = 0;
          if (stop) return;
        }
      }
      done += pending;
      at_trial = end;
    }
    std::lock_guard<std::mutex> lock(merge_mutex);
    for (std::size_t j = 0; j < jobs.size(); ++j) counts[j] += local[j];
  };
  detail::run_parallel(run);

  for (std::size_t j = 0; j < jobs.size(); ++j) {
    results[j].count = counts[j];
    results[j].p_value = options.convention == PValueConvention::kNoreen
                             ? static_cast<double>(counts[j] + 1) / static_cast<double>(trials + 1)
                             : static_cast<double>(counts[j]) / static_cast<double>(trials);
  }
  return results;
}

}  // namespace rrg::stats
