// The bridge from scorers (rrg/metrics/scorer.h) to the significance tests of rrg/stats: a
// stats::PairedMetric for one key of one scorer on two systems' statistics, and a
// stats::ResampledGroup for several keys of one scorer on one system's statistics.
//
// A randomization trial of a key is computed from its closed form (KeyAggregation): column sums
// as masked integer sums of the two systems' differences (exact), or the np.mean of the mixed
// per-sample values in sample order (what re-scoring the mixed texts computes, to the bit); a key
// without a closed form re-aggregates the mixed rows. A bootstrap replicate is scorer.aggregate()
// on the resampled rows.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "rrg/metrics/scorer.h"
#include "rrg/stats/approximate_randomization.h"
#include "rrg/stats/paired_bootstrap.h"

namespace rrg::pipelines {

// Key `key` of `scorer` for baseline `a` and system `b` (the same samples in the same order).
// The scorer and the statistics must outlive the result.
std::unique_ptr<stats::PairedMetric> make_paired_metric(const metrics::Scorer& scorer,
                                                        std::size_t key,
                                                        const metrics::SampleStatistics& a,
                                                        const metrics::SampleStatistics& b);

// The corpus values of `keys` (indices into scorer.keys()) on resamples of `statistics`.
std::unique_ptr<stats::ResampledGroup> make_resampled_group(
    const metrics::Scorer& scorer, std::vector<std::size_t> keys,
    const metrics::SampleStatistics& statistics);

}  // namespace rrg::pipelines
