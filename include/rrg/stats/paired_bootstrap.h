// Paired bootstrap confidence intervals, reproducible in Python with NumPy.
//
// The question it answers: how much would each system's corpus score, and its difference to the
// baseline, move if the test set were drawn again? Replicate r resamples the sample ids with
// replacement, the same resample for every system and every metric, and recomputes each corpus
// metric on it; the interval is the central `ci` percent of the replicate values (percentile
// method), for each system's value and for the paired difference system - baseline.
//
// The resample of replicate r is exactly what a user gets in Python from
//   rs = np.random.RandomState(seed)
//   for r in range(replicates): idx = rs.randint(0, n, size=n)
// (one randint call per replicate, in order, from one RandomState), and the ends are
// np.percentile(values, [(100 - ci) / 2, 100 - (100 - ci) / 2]) (linear interpolation).
// Indices are drawn in order on the calling thread (the rejection sampler's draws per index
// vary, so a replicate's start is not known in advance); the replicates are then evaluated on
// `threads` threads. Every number is independent of the thread count.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rrg/stats/cancelled.h"

namespace rrg::stats {

// Corpus values computed together from one resample: typically every metric of one family for
// one system (a classifier's F1 for each observation and their averages from one pass over the
// resampled label rows). values() must be safe to call from several threads at once.
class ResampledGroup {
 public:
  virtual ~ResampledGroup() = default;
  virtual std::size_t size() const = 0;  // values per resample
  // out[0 .. size()) = the corpus values of the resample whose k-th sample is sample
  // indices[k] (k < n, repeats allowed, n = the number of samples): what the metrics give on
  // the resampled lists, in this order.
  virtual void values(const std::uint32_t* indices, std::size_t n, double* out) const = 0;
};

// One corpus metric of one system: a group of one value.
class ResampledMetric : public ResampledGroup {
 public:
  virtual double value(const std::uint32_t* indices, std::size_t n) const = 0;
  std::size_t size() const final { return 1; }
  void values(const std::uint32_t* indices, std::size_t n, double* out) const final {
    out[0] = value(indices, n);
  }
};

// Where the bootstrap finds one (metric, system) value: value `index` of `group`.
struct ResampledCell {
  const ResampledGroup* group = nullptr;
  std::size_t index = 0;
};

struct PairedBootstrapOptions {
  std::size_t replicates = 1000;
  double ci = 95.0;            // percent, in (0, 100)
  std::uint64_t seed = 12345;  // np.random.RandomState(seed): 0 .. 2^32 - 1
  unsigned threads = 1;
  bool keep_replicates = false;  // return every replicate's value (for checks and plots)
  // Called on the calling thread with replicates done and the total.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  const std::atomic<bool>* cancel = nullptr;  // set: the run throws Cancelled
};

struct BootstrapInterval {
  double low = 0;
  double high = 0;
};

struct PairedBootstrapResult {
  BootstrapInterval value;                // of the system's corpus value
  std::optional<BootstrapInterval> diff;  // of system - baseline (none for the baseline)
  std::vector<double> replicates;         // the replicate values, when keep_replicates
};

// cells[m][s] locates metric m of system s (every row the same systems, in the same order);
// `baseline` indexes the baseline system (or npos for no differences). Each distinct group is
// evaluated once per replicate. Returns result[m][s]. Throws rrg::InputError for 0 replicates or
// samples, a ci outside (0, 100), a seed NumPy refuses, rows of different lengths or a cell
// outside its group.
std::vector<std::vector<PairedBootstrapResult>> paired_bootstrap(
    const std::vector<std::vector<ResampledCell>>& cells, std::size_t baseline, std::size_t samples,
    const PairedBootstrapOptions& options);

// The same with one ResampledMetric per (metric, system): metrics[m][s].
std::vector<std::vector<PairedBootstrapResult>> paired_bootstrap(
    const std::vector<std::vector<const ResampledMetric*>>& metrics, std::size_t baseline,
    std::size_t samples, const PairedBootstrapOptions& options);

// "bootstrap:1000|ci:95|seed:12345|rng:numpy-randomstate"
std::string paired_bootstrap_signature(const PairedBootstrapOptions& options);

}  // namespace rrg::stats
