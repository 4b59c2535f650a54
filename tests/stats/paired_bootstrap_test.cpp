// The paired bootstrap driver against a sequential re-implementation (one RandomState, one
// randint(0, n, size=n) per replicate, np.percentile ends): any thread count, several index
// batches, the baseline's missing difference, errors and the signature.
#include "rrg/stats/paired_bootstrap.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <random>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/stats/approximate_randomization.h"
#include "rrg/stats/numpy_random_state.h"
#include "rrg/stats/percentile.h"

namespace {

using rrg::stats::PairedBootstrapOptions;
using rrg::stats::ResampledMetric;

// Mean of per-sample values over the resample, in resample order.
class MeanOf : public ResampledMetric {
 public:
  explicit MeanOf(std::vector<double> values) : values_(std::move(values)) {}
  double value(const std::uint32_t* indices, std::size_t n) const override {
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) sum += values_[indices[k]];
    return sum / static_cast<double>(n);
  }

 private:
  std::vector<double> values_;
};

struct Table {
  std::vector<std::unique_ptr<MeanOf>> owned;
  std::vector<std::vector<const ResampledMetric*>> metrics;  // [metric][system]
};

Table make_table(std::size_t metrics, std::size_t systems, std::size_t samples) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Table t;
  t.metrics.resize(metrics);
  for (std::size_t m = 0; m < metrics; ++m) {
    for (std::size_t s = 0; s < systems; ++s) {
      std::vector<double> v(samples);
      for (double& x : v) x = unit(rng) + 0.01 * static_cast<double>(s);
      t.owned.push_back(std::make_unique<MeanOf>(v));
      t.metrics[m].push_back(t.owned.back().get());
    }
  }
  return t;
}

TEST(PairedBootstrap, EqualsTheSequentialProcedureForAnyThreadCount) {
  const std::size_t samples = 3000, replicates = 2500;  // 3 batches of resamples
  const Table table = make_table(2, 3, samples);
  // Sequential: replicate values per (metric, system), then the percentile ends.
  std::vector<std::vector<std::vector<double>>> values(2, std::vector<std::vector<double>>(3));
  rrg::stats::NumpyRandomState rs(777);
  std::vector<std::uint32_t> idx(samples);
  for (std::size_t r = 0; r < replicates; ++r) {
    rs.indices(samples, idx.data(), samples);
    for (std::size_t m = 0; m < 2; ++m) {
      for (std::size_t s = 0; s < 3; ++s)
        values[m][s].push_back(table.metrics[m][s]->value(idx.data(), samples));
    }
  }
  for (unsigned threads : {1u, 2u, 5u}) {
    PairedBootstrapOptions options;
    options.replicates = replicates;
    options.seed = 777;
    options.ci = 90;
    options.threads = threads;
    options.keep_replicates = true;
    const auto results = rrg::stats::paired_bootstrap(table.metrics, 1, samples, options);
    ASSERT_EQ(results.size(), 2u);
    for (std::size_t m = 0; m < 2; ++m) {
      ASSERT_EQ(results[m].size(), 3u);
      for (std::size_t s = 0; s < 3; ++s) {
        const auto& got = results[m][s];
        EXPECT_EQ(got.replicates, values[m][s]) << threads << " threads";
        const auto ends = rrg::stats::numpy_percentile_interval(values[m][s], 90);
        EXPECT_EQ(got.value.low, ends.low);
        EXPECT_EQ(got.value.high, ends.high);
        EXPECT_LT(got.value.low, got.value.high);
        if (s == 1) {
          EXPECT_FALSE(got.diff.has_value());
          continue;
        }
        ASSERT_TRUE(got.diff.has_value());
        std::vector<double> diffs(replicates);
        for (std::size_t r = 0; r < replicates; ++r) diffs[r] = values[m][s][r] - values[m][1][r];
        const auto diff_ends = rrg::stats::numpy_percentile_interval(diffs, 90);
        EXPECT_EQ(got.diff->low, diff_ends.low);
        EXPECT_EQ(got.diff->high, diff_ends.high);
      }
    }
  }
}

// Both rows of a two-metric table from one pass: the mean, and the mean of the squares.
class MeanAndSquares : public rrg::stats::ResampledGroup {
 public:
  explicit MeanAndSquares(std::vector<double> values) : values_(std::move(values)) {}
  std::size_t size() const override { return 2; }
  void values(const std::uint32_t* indices, std::size_t n, double* out) const override {
    double sum = 0, squares = 0;
    for (std::size_t k = 0; k < n; ++k) {
      sum += values_[indices[k]];
      squares += values_[indices[k]] * values_[indices[k]];
    }
    out[0] = sum / static_cast<double>(n);
    out[1] = squares / static_cast<double>(n);
  }

 private:
  std::vector<double> values_;
};

class MeanOfSquares : public ResampledMetric {
 public:
  explicit MeanOfSquares(std::vector<double> values) : values_(std::move(values)) {}
  double value(const std::uint32_t* indices, std::size_t n) const override {
    double squares = 0;
    for (std::size_t k = 0; k < n; ++k) squares += values_[indices[k]] * values_[indices[k]];
    return squares / static_cast<double>(n);
  }

 private:
  std::vector<double> values_;
};

TEST(PairedBootstrap, GroupsGiveTheSameNumbersAsSingleMetrics) {
  const std::size_t samples = 200;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::vector<double>> per_system(3, std::vector<double>(samples));
  for (auto& v : per_system) {
    for (double& x : v) x = unit(rng);
  }
  std::vector<std::unique_ptr<rrg::stats::ResampledGroup>> groups;
  std::vector<std::unique_ptr<ResampledMetric>> singles;
  std::vector<std::vector<rrg::stats::ResampledCell>> cells(2);
  std::vector<std::vector<const ResampledMetric*>> metrics(2);
  for (std::size_t s = 0; s < 3; ++s) {
    groups.push_back(std::make_unique<MeanAndSquares>(per_system[s]));
    cells[0].push_back({groups.back().get(), 0});
    cells[1].push_back({groups.back().get(), 1});
    singles.push_back(std::make_unique<MeanOf>(per_system[s]));
    metrics[0].push_back(singles.back().get());
    singles.push_back(std::make_unique<MeanOfSquares>(per_system[s]));
    metrics[1].push_back(singles.back().get());
  }
  PairedBootstrapOptions options;
  options.replicates = 300;
  options.keep_replicates = true;
  options.threads = 2;
  const auto grouped = rrg::stats::paired_bootstrap(cells, 2, samples, options);
  const auto single = rrg::stats::paired_bootstrap(metrics, 2, samples, options);
  for (std::size_t m = 0; m < 2; ++m) {
    for (std::size_t s = 0; s < 3; ++s) {
      EXPECT_EQ(grouped[m][s].replicates, single[m][s].replicates) << m << " " << s;
      EXPECT_EQ(grouped[m][s].value.low, single[m][s].value.low);
      EXPECT_EQ(grouped[m][s].value.high, single[m][s].value.high);
      EXPECT_EQ(grouped[m][s].diff.has_value(), s != 2);
      if (s != 2) {
        EXPECT_EQ(grouped[m][s].diff->low, single[m][s].diff->low);
      }
    }
  }
  cells[1][0].index = 2;  // the group has 2 values
  EXPECT_THROW(rrg::stats::paired_bootstrap(cells, 2, samples, options), rrg::InputError);
}

TEST(PairedBootstrap, WithoutBaselineThereAreNoDifferences) {
  const Table table = make_table(1, 2, 50);
  PairedBootstrapOptions options;
  options.replicates = 10;
  const auto results =
      rrg::stats::paired_bootstrap(table.metrics, static_cast<std::size_t>(-1), 50, options);
  EXPECT_FALSE(results[0][0].diff.has_value());
  EXPECT_FALSE(results[0][1].diff.has_value());
  EXPECT_TRUE(results[0][0].replicates.empty());
}

TEST(PairedBootstrap, ProgressAndCancellation) {
  const Table table = make_table(1, 2, 100);
  PairedBootstrapOptions options;
  options.replicates = 500;
  options.threads = 2;
  std::uint64_t last = 0, total = 0;
  options.progress = [&](std::uint64_t done, std::uint64_t all) {
    EXPECT_GE(done, last);
    last = done;
    total = all;
  };
  rrg::stats::paired_bootstrap(table.metrics, 0, 100, options);
  EXPECT_EQ(last, 500u);
  EXPECT_EQ(total, 500u);
  std::atomic<bool> cancel{true};
  options.cancel = &cancel;
  options.progress = nullptr;
  EXPECT_THROW(rrg::stats::paired_bootstrap(table.metrics, 0, 100, options), rrg::stats::Cancelled);
}

TEST(PairedBootstrap, RefusesBadOptions) {
  const Table table = make_table(1, 2, 10);
  PairedBootstrapOptions options;
  auto run = [&] { rrg::stats::paired_bootstrap(table.metrics, 0, 10, options); };
  options.replicates = 0;
  EXPECT_THROW(run(), rrg::InputError);
  options.replicates = 5;
  for (double ci : {0.0, 100.0, -5.0, 150.0}) {
    options.ci = ci;
    EXPECT_THROW(run(), rrg::InputError) << ci;
  }
  options.ci = 95;
  options.seed = 4294967296ull;
  EXPECT_THROW(run(), rrg::InputError);
  options.seed = 1;
  EXPECT_THROW(rrg::stats::paired_bootstrap(table.metrics, 2, 10, options), rrg::InputError);
  EXPECT_THROW(rrg::stats::paired_bootstrap(table.metrics, 0, 0, options), rrg::InputError);
  auto ragged = table.metrics;
  ragged.push_back({table.metrics[0][0]});
  EXPECT_THROW(rrg::stats::paired_bootstrap(ragged, 0, 10, options), rrg::InputError);
}

TEST(PairedBootstrap, Signature) {
  PairedBootstrapOptions options;
  EXPECT_EQ(rrg::stats::paired_bootstrap_signature(options),
            "bootstrap:1000|ci:95|seed:12345|rng:numpy-randomstate");
  options.replicates = 200;
  options.ci = 97.5;
  options.seed = 0;
  EXPECT_EQ(rrg::stats::paired_bootstrap_signature(options),
            "bootstrap:200|ci:97.5|seed:0|rng:numpy-randomstate");
}

}  // namespace
