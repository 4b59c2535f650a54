// The approximate randomization driver against a plain sequential re-implementation of
// RadEval's loop (random() per sample, in job order), for any thread count and segment size;
// p-value conventions, progress, cancellation, errors and the signature.
#include "rrg/stats/approximate_randomization.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/stats/python_random.h"

namespace {

using rrg::stats::ApproximateRandomizationOptions;
using rrg::stats::PairedMetric;
using rrg::stats::PValueConvention;
using rrg::stats::PythonRandom;

// Mean of per-sample values, summed left to right: float rounding makes every bit of the mask
// matter, so any misplaced draw shows.
class MeanMetric : public PairedMetric {
 public:
  MeanMetric(std::vector<double> a, std::vector<double> b) : a_(std::move(a)), b_(std::move(b)) {}
  std::pair<double, double> trial(const std::uint64_t* swap) const override {
    double first = 0, second = 0;
    for (std::size_t i = 0; i < a_.size(); ++i) {
      const bool swapped = (swap[i / 64] >> (i % 64)) & 1u;
      first += swapped ? b_[i] : a_[i];
      second += swapped ? a_[i] : b_[i];
    }
    return {first / static_cast<double>(a_.size()), second / static_cast<double>(a_.size())};
  }
  // The same from a list of decisions.
  std::pair<double, double> trial(const std::vector<bool>& swapped) const {
    std::vector<std::uint64_t> mask((a_.size() + 63) / 64, 0);
    for (std::size_t i = 0; i < swapped.size(); ++i) {
      if (swapped[i]) mask[i / 64] |= std::uint64_t{1} << (i % 64);
    }
    return trial(mask.data());
  }
  std::size_t size() const { return a_.size(); }

 private:
  std::vector<double> a_, b_;
};

struct Jobs {
  std::vector<std::unique_ptr<MeanMetric>> owned;
  std::vector<const PairedMetric*> pointers;
};

Jobs make_jobs(std::size_t count, std::size_t samples, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Jobs jobs;
  for (std::size_t j = 0; j < count; ++j) {
    std::vector<double> a(samples), b(samples);
    // Job j's systems differ by a shift growing with j: p-values from ~1 down to ~0.
    for (std::size_t i = 0; i < samples; ++i) {
      a[i] = unit(rng);
      b[i] = unit(rng) + 0.02 * static_cast<double>(j);
    }
    jobs.owned.push_back(std::make_unique<MeanMetric>(a, b));
    jobs.pointers.push_back(jobs.owned.back().get());
  }
  return jobs;
}

// RadEval's loop, literally: one stream, jobs in order, a draw per sample per trial.
std::vector<std::uint64_t> sequential_counts(const Jobs& jobs, std::size_t trials,
                                             std::uint64_t seed) {
  PythonRandom rng(seed);
  std::vector<std::uint64_t> counts;
  for (const auto& job : jobs.owned) {
    const std::vector<bool> none(job->size(), false);
    const auto [a, b] = job->trial(none);
    const double observed = std::fabs(b - a);
    std::uint64_t count = 0;
    for (std::size_t t = 0; t < trials; ++t) {
      std::vector<bool> swapped(job->size());
      for (std::size_t i = 0; i < job->size(); ++i) swapped[i] = !(rng.random() < 0.5);
      const auto [x, y] = job->trial(swapped);
      if (std::fabs(y - x) >= observed) ++count;
    }
    counts.push_back(count);
  }
  return counts;
}

TEST(ApproximateRandomization, EqualsTheSequentialLoopForAnyThreadCountAndSegmentSize) {
  const std::size_t samples = 137, trials = 300;
  const Jobs jobs = make_jobs(5, samples, 1);
  const auto expected = sequential_counts(jobs, trials, 12345);
  // Some p-values strictly between 0 and 1, so the comparison is not trivially all-or-nothing.
  EXPECT_GT(expected.front(), 0u);
  EXPECT_LT(expected.back(), trials);
  for (unsigned threads : {1u, 2u, 3u, 7u}) {
    // Small segments force many jumps, also in the middle of a job and of a block.
    for (std::uint64_t segment : {std::uint64_t{1}, std::uint64_t{5000}, std::uint64_t{1} << 25}) {
      ApproximateRandomizationOptions options;
      options.trials = trials;
      options.seed = 12345;
      options.threads = threads;
      options.min_segment_draws = segment;
      const auto results = rrg::stats::approximate_randomization(jobs.pointers, samples, options);
      ASSERT_EQ(results.size(), expected.size());
      for (std::size_t j = 0; j < results.size(); ++j) {
        EXPECT_EQ(results[j].count, expected[j])
            << "job " << j << ", " << threads << " threads, segments of " << segment;
        EXPECT_EQ(results[j].p_value,
                  static_cast<double>(expected[j]) / static_cast<double>(trials));
      }
    }
  }
}

TEST(ApproximateRandomization, SegmentsFarIntoTheStreamUseJumpAhead) {
  // 4 jobs x 2,500 trials x 1,000 samples = 10^7 draws; the second of two segments starts at
  // draw 6 x 10^6 (output 1.2 x 10^7, in the middle of a block), far enough for a real jump.
  const std::size_t samples = 1000, trials = 2500;
  const Jobs jobs = make_jobs(4, samples, 5);
  const auto expected = sequential_counts(jobs, trials, 2024);
  ApproximateRandomizationOptions options;
  options.trials = trials;
  options.seed = 2024;
  options.threads = 2;
  options.min_segment_draws = 6'000'000;
  const auto results = rrg::stats::approximate_randomization(jobs.pointers, samples, options);
  for (std::size_t j = 0; j < results.size(); ++j) EXPECT_EQ(results[j].count, expected[j]) << j;
}

TEST(ApproximateRandomization, ReportsObservedValuesAndBothConventions) {
  const std::size_t samples = 64, trials = 99;
  const Jobs jobs = make_jobs(2, samples, 2);
  ApproximateRandomizationOptions options;
  options.trials = trials;
  options.convention = PValueConvention::kNoreen;
  const auto noreen = rrg::stats::approximate_randomization(jobs.pointers, samples, options);
  options.convention = PValueConvention::kRadEval;
  const auto radeval = rrg::stats::approximate_randomization(jobs.pointers, samples, options);
  for (std::size_t j = 0; j < 2; ++j) {
    const std::vector<std::uint64_t> none(1, 0);
    const auto [a, b] = jobs.pointers[j]->trial(none.data());
    EXPECT_EQ(radeval[j].value_a, a);
    EXPECT_EQ(radeval[j].value_b, b);
    EXPECT_EQ(radeval[j].observed_delta, std::fabs(b - a));
    EXPECT_EQ(noreen[j].count, radeval[j].count);
    EXPECT_EQ(noreen[j].p_value, static_cast<double>(radeval[j].count + 1) / 100.0);
    EXPECT_EQ(radeval[j].p_value, static_cast<double>(radeval[j].count) / 99.0);
    EXPECT_GT(noreen[j].p_value, 0.0);
  }
}

TEST(ApproximateRandomization, ProgressEndsAtTheTotal) {
  const Jobs jobs = make_jobs(3, 100, 3);
  ApproximateRandomizationOptions options;
  options.trials = 2000;
  options.threads = 2;
  options.min_segment_draws = 1;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    calls.emplace_back(done, total);
  };
  rrg::stats::approximate_randomization(jobs.pointers, 100, options);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(std::uint64_t{6000}, std::uint64_t{6000}));
  for (std::size_t k = 1; k < calls.size(); ++k) EXPECT_LE(calls[k - 1].first, calls[k].first);
}

// Sets the cancel flag after `after` trials (from inside a worker, as a signal handler might).
class CancellingMetric : public PairedMetric {
 public:
  CancellingMetric(std::atomic<bool>& flag, int after) : flag_(flag), left_(after) {}
  std::pair<double, double> trial(const std::uint64_t*) const override {
    if (--left_ == 0) flag_ = true;
    return {0.0, 0.0};
  }

 private:
  std::atomic<bool>& flag_;
  mutable std::atomic<int> left_;
};

TEST(ApproximateRandomization, CancellationThrowsCancelled) {
  std::atomic<bool> cancel{false};
  const CancellingMetric metric(cancel, 50);
  ApproximateRandomizationOptions options;
  options.trials = 100'000'000;  // hours of work if it were not cancelled
  options.threads = 2;
  options.cancel = &cancel;
  EXPECT_THROW(rrg::stats::approximate_randomization({&metric}, 10, options),
               rrg::stats::Cancelled);
  cancel = true;  // cancelled before the start: no work at all
  options.trials = 10;
  EXPECT_THROW(rrg::stats::approximate_randomization({&metric}, 10, options),
               rrg::stats::Cancelled);
}

class ThrowingMetric : public PairedMetric {
 public:
  std::pair<double, double> trial(const std::uint64_t* swap) const override {
    if (swap[0] != 0) throw std::runtime_error("metric failed on a trial");
    return {0.0, 1.0};
  }
};

TEST(ApproximateRandomization, RethrowsAMetricsException) {
  const ThrowingMetric metric;
  ApproximateRandomizationOptions options;
  options.threads = 3;
  options.min_segment_draws = 1;
  try {
    rrg::stats::approximate_randomization({&metric, &metric}, 20, options);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "metric failed on a trial");
  }
}

TEST(ApproximateRandomization, RefusesZeroTrialsOrSamples) {
  const Jobs jobs = make_jobs(1, 10, 4);
  ApproximateRandomizationOptions options;
  options.trials = 0;
  EXPECT_THROW(rrg::stats::approximate_randomization(jobs.pointers, 10, options), rrg::InputError);
  options.trials = 10;
  EXPECT_THROW(rrg::stats::approximate_randomization(jobs.pointers, 0, options), rrg::InputError);
  EXPECT_TRUE(rrg::stats::approximate_randomization({}, 10, options).empty());
}

TEST(ApproximateRandomization, SignatureAndConventionNames) {
  ApproximateRandomizationOptions options;
  EXPECT_EQ(rrg::stats::approximate_randomization_signature(options),
            "ar:10000|seed:12345|pvalue:radeval");
  options.trials = 200;
  options.seed = 7;
  options.convention = rrg::stats::parse_p_value_convention("noreen");
  EXPECT_EQ(rrg::stats::approximate_randomization_signature(options),
            "ar:200|seed:7|pvalue:noreen");
  EXPECT_EQ(rrg::stats::parse_p_value_convention("radeval"), PValueConvention::kRadEval);
  EXPECT_THROW(rrg::stats::parse_p_value_convention("fisher"), rrg::InputError);
}

}  // namespace
