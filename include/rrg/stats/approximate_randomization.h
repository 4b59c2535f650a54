// Paired approximate randomization (AR), reproducing RadEval's PairedTest (jbdel/RadEval,
// radeval/utils.py) draw for draw, on as many threads as asked with identical results.
//
// The question it answers: could the difference between two systems' corpus scores on the same
// samples be chance? Under the null hypothesis that the systems are interchangeable, each
// sample's two outputs are swapped with probability 1/2 and the corpus metric recomputed; the
// p-value is the share of trials whose |difference| reaches the observed one.
//
// RadEval's procedure, kept exactly:
//  - one random.Random(seed) stream for the whole run, consumed job after job: for every
//    non-baseline system in order, for every metric in order, `trials` trials of `samples` draws;
//  - in a trial, sample i keeps its outputs when random() < 0.5 and swaps them otherwise;
//  - observed delta = |metric(B) - metric(A)|, trial delta = |metric(B') - metric(A')| with A', B'
//    the randomized baseline and system; a trial counts when trial delta >= observed delta;
//  - p = count / trials ("radeval"), or (count + 1) / (trials + 1) ("noreen", Noreen 1989's
//    estimator, never 0).
// Each job's offset in the stream is known in advance (job j starts at draw j * trials *
// samples), so segments of jobs are generated on several threads, each jumping its own copy of
// the generator to its segment; counts are integers, so the sums do not depend on the split.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "rrg/stats/cancelled.h"

namespace rrg::stats {

// One corpus metric for one pair (baseline A, system B) on the same samples and references,
// recomputable from per-sample statistics. Implementations must be safe to call from several
// threads at once (trial() is const and keeps no shared scratch).
class PairedMetric {
 public:
  virtual ~PairedMetric() = default;
  // Corpus values of the two randomized systems of one trial: the first takes B's statistics for
  // the samples whose bit is set in `swap` (bit i % 64 of swap[i / 64]) and A's for the others,
  // the second the opposite. An all-zero mask gives (value of A, value of B).
  virtual std::pair<double, double> trial(const std::uint64_t* swap) const = 0;
};

enum class PValueConvention {
  kRadEval,  // count / trials (RadEval)
  kNoreen,   // (count + 1) / (trials + 1)
};
std::string p_value_convention_name(PValueConvention convention);  // "radeval" / "noreen"
// Parses "radeval" / "noreen"; throws rrg::InputError naming the choices otherwise.
PValueConvention parse_p_value_convention(const std::string& name);

struct ApproximateRandomizationOptions {
  std::size_t trials = 10000;
  std::uint64_t seed = 12345;  // random.Random(seed)
  PValueConvention convention = PValueConvention::kRadEval;
  unsigned threads = 1;
  // Called on the calling thread, about 10 times a second and once at the end, with trials done
  // and the total over all jobs.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  // When set to true (from any thread), the run stops soon and throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // Tuning: with several threads, the trials are cut into segments of at least this many draws
  // (a segment that does not follow a thread's previous one costs it a jump of a few ms).
  std::uint64_t min_segment_draws = std::uint64_t{1} << 25;
};

struct ApproximateRandomizationResult {
  double value_a = 0;         // metric of the baseline (the all-zero-mask trial)
  double value_b = 0;         // metric of the system
  double observed_delta = 0;  // |value_b - value_a|
  std::uint64_t count = 0;    // trials with |delta| >= observed_delta
  double p_value = 0;
};

// Runs every job (in RadEval's stream order: systems, then metrics within a system) with
// `samples` samples each. Throws rrg::InputError when trials or samples is 0, Cancelled when
// cancelled, and rethrows the first exception a metric throws.
std::vector<ApproximateRandomizationResult> approximate_randomization(
    const std::vector<const PairedMetric*>& jobs, std::size_t samples,
    const ApproximateRandomizationOptions& options);

// "ar:10000|seed:12345|pvalue:radeval"
std::string approximate_randomization_signature(const ApproximateRandomizationOptions& options);

}  // namespace rrg::stats
