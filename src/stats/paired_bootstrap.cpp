// Paired bootstrap (see paired_bootstrap.h).
#include "rrg/stats/paired_bootstrap.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "parallel_runner.h"
#include "rrg/core/errors.h"
#include "rrg/stats/numpy_random_state.h"
#include "rrg/stats/percentile.h"

namespace rrg::stats {
namespace {

// Resample indices held at once: replicates are drawn in batches of this many indices.
constexpr std::size_t kBatchIndices = std::size_t{1} << 22;

// Shortest text that reads back as `x` ("95", "97.5"), as Python's repr prints a float.
std::string shortest(double x) {
  if (x == std::floor(x) && std::fabs(x) < 1e15) return std::to_string(static_cast<long long>(x));
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, x).ptr;
  return std::string(buffer, end);
}

}  // namespace

std::string paired_bootstrap_signature(const PairedBootstrapOptions& options) {
  return "bootstrap:" + std::to_string(options.replicates) + "|ci:" + shortest(options.ci) +
         "|seed:" + std::to_string(options.seed) + "|rng:numpy-randomstate";
}

std::vector<std::vector<PairedBootstrapResult>> paired_bootstrap(
    const std::vector<std::vector<ResampledCell>>& cells, std::size_t baseline, std::size_t samples,
    const PairedBootstrapOptions& options) {
  if (options.replicates == 0) throw InputError("the bootstrap needs at least 1 replicate");
  if (samples == 0) throw InputError("the bootstrap needs at least 1 sample");
  if (!(options.ci > 0.0 && options.ci < 100.0)) {
    throw InputError("confidence level " + shortest(options.ci) +
                     " is not a percentage strictly between 0 and 100");
  }
  NumpyRandomState random_state(options.seed);  // refuses seeds NumPy refuses
  std::vector<std::vector<PairedBootstrapResult>> results(cells.size());
  if (cells.empty()) return results;
  const std::size_t systems = cells[0].size();
  // The distinct groups, and for every cell its value's slot among all groups' outputs.
  std::vector<const ResampledGroup*> groups;
  std::vector<std::size_t> group_offset;
  std::size_t group_values = 0;
  std::vector<std::size_t> slot(cells.size() * systems);
  for (std::size_t m = 0; m < cells.size(); ++m) {
    if (cells[m].size() != systems) {
      throw InputError("paired bootstrap: every metric needs one entry per system (" +
                       std::to_string(systems) + "), got " + std::to_string(cells[m].size()));
    }
    for (std::size_t s = 0; s < systems; ++s) {
      const ResampledCell& cell = cells[m][s];
      if (cell.group == nullptr || cell.index >= cell.group->size()) {
        throw InputError("paired bootstrap: metric " + std::to_string(m) + " of system " +
                         std::to_string(s) + " points outside its group");
      }
      auto found = std::find(groups.begin(), groups.end(), cell.group);
      std::size_t g = static_cast<std::size_t>(found - groups.begin());
      if (found == groups.end()) {
        groups.push_back(cell.group);
        group_offset.push_back(group_values);
        group_values += cell.group->size();
      }
      slot[m * systems + s] = group_offset[g] + cell.index;
    }
  }
  if (baseline != static_cast<std::size_t>(-1) && baseline >= systems) {
    throw InputError("paired bootstrap: baseline index " + std::to_string(baseline) +
                     " is not one of the " + std::to_string(systems) + " systems");
  }

  const std::size_t replicates = options.replicates;
  // outputs[r * group_values + v]: every group's values for replicate r.
  std::vector<double> outputs(replicates * group_values);
  const std::size_t per_batch = std::max<std::size_t>(1, kBatchIndices / samples);
  std::vector<std::uint32_t> indices(std::min(per_batch, replicates) * samples);

  for (std::size_t first = 0; first < replicates; first += per_batch) {
    const std::size_t count = std::min(per_batch, replicates - first);
    // One randint(0, n, size=n) per replicate, in order.
    for (std::size_t r = 0; r < count; ++r) {
      random_state.indices(samples, indices.data() + r * samples, samples);
    }
    std::atomic<std::size_t> next{0};
    const std::function<void(std::uint64_t, std::uint64_t)> batch_progress = [&](std::uint64_t done,
                                                                                 std::uint64_t) {
      if (options.progress) options.progress(first + done, replicates);
    };
    detail::ParallelRun run;
    run.threads = std::max(1u, options.threads);
    run.total = count;
    run.progress = &batch_progress;
    run.cancel = options.cancel;
    run.worker = [&](unsigned, const std::atomic<bool>& stop, std::atomic<std::uint64_t>& done) {
      for (std::size_t r; (r = next.fetch_add(1)) < count && !stop;) {
        const std::uint32_t* resample = indices.data() + r * samples;
        double* out = outputs.data() + (first + r) * group_values;
        for (std::size_t g = 0; g < groups.size(); ++g) {
          groups[g]->values(resample, samples, out + group_offset[g]);
        }
        ++done;
      }
    };
    detail::run_parallel(run);
  }

  auto replicate_values = [&](std::size_t m, std::size_t s) {
    std::vector<double> v(replicates);
    const std::size_t at = slot[m * systems + s];
    for (std::size_t r = 0; r < replicates; ++r) v[r] = outputs[r * group_values + at];
    return v;
  };
  for (std::size_t m = 0; m < cells.size(); ++m) {
    results[m].resize(systems);
    const std::vector<double> base = baseline != static_cast<std::size_t>(-1)
                                         ? replicate_values(m, baseline)
                                         : std::vector<double>();
    for (std::size_t s = 0; s < systems; ++s) {
      std::vector<double> own = replicate_values(m, s);
      PairedBootstrapResult& out = results[m][s];
      const PercentileInterval value = numpy_percentile_interval(own, options.ci);
      out.value = {value.low, value.high};
      if (!base.empty() && s != baseline) {
        std::vector<double> diffs(replicates);
        for (std::size_t r = 0; r < replicates; ++r) diffs[r] = own[r] - base[r];
        const PercentileInterval diff = numpy_percentile_interval(std::move(diffs), options.ci);
        out.diff = BootstrapInterval{diff.low, diff.high};
      }
      if (options.keep_replicates) out.replicates = std::move(own);
    }
  }
  return results;
}

std::vector<std::vector<PairedBootstrapResult>> paired_bootstrap(
    const std::vector<std::vector<const ResampledMetric*>>& metrics, std::size_t baseline,
    std::size_t samples, const PairedBootstrapOptions& options) {
  std::vector<std::vector<ResampledCell>> cells(metrics.size());
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    for (const ResampledMetric* metric : metrics[m]) cells[m].push_back({metric, 0});
  }
  return paired_bootstrap(cells, baseline, samples, options);
}

}  // namespace rrg::stats
