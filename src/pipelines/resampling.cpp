// Scorers as the significance tests see them (see resampling.h).
#include "rrg/pipelines/resampling.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "rrg/metrics/numpy_swapped_sums.h"
#include "rrg/metrics/python_math.h"
#include "rrg/stats/masked_sum.h"

namespace rrg::pipelines {
namespace {

using metrics::KeyAggregation;
using metrics::SampleStatistics;

bool bit(const std::uint64_t* mask, std::size_t i) {
  return (mask[i / 64] >> (i % 64)) & 1u;
}

// Closed form: finish(column sums). A trial's randomized baseline sums are total(A) + S and the
// randomized system's total(B) - S, with S the masked sum of B - A over the swapped samples.
class SumsPaired final : public stats::PairedMetric {
 public:
  SumsPaired(KeyAggregation aggregation, const SampleStatistics& a, const SampleStatistics& b)
      : aggregation_(std::move(aggregation)), n_(a.size()) {
    const std::size_t width = aggregation_.width;
    std::vector<double> row_a(width), row_b(width);
    std::vector<std::vector<std::int64_t>> deltas(width, std::vector<std::int64_t>(n_));
    total_a_.assign(width, 0.0);
    total_b_.assign(width, 0.0);
    for (std::size_t i = 0; i < n_; ++i) {
      aggregation_.project(a.row(i), row_a.data());
      aggregation_.project(b.row(i), row_b.data());
      for (std::size_t c = 0; c < width; ++c) {
        total_a_[c] += row_a[c];
        total_b_[c] += row_b[c];
        deltas[c][i] = static_cast<std::int64_t>(row_b[c]) - static_cast<std::int64_t>(row_a[c]);
      }
    }
    for (std::size_t c = 0; c < width; ++c) {
      bool any = false;
      for (const std::int64_t d : deltas[c]) any = any || d != 0;
      if (!any) continue;  // the column is the same in every trial
      columns_.push_back(c);
      sums_.emplace_back(deltas[c]);
    }
  }

  std::pair<double, double> trial(const std::uint64_t* swap) const override {
    std::vector<double> first = total_a_, second = total_b_;
    for (std::size_t j = 0; j < columns_.size(); ++j) {
      const auto s = static_cast<double>(sums_[j](swap));
      first[columns_[j]] += s;
      second[columns_[j]] -= s;
    }
    return {aggregation_.finish(first.data(), n_), aggregation_.finish(second.data(), n_)};
  }

 private:
  KeyAggregation aggregation_;
  std::size_t n_;
  std::vector<double> total_a_, total_b_;
  std::vector<std::size_t> columns_;  // columns whose two systems differ somewhere
  std::vector<stats::MaskedIntegerSum> sums_;
};

// Closed form: np.mean of one column (NaN left out), in sample order.
class MeanPaired final : public stats::PairedMetric {
 public:
  MeanPaired(std::size_t column, const SampleStatistics& a, const SampleStatistics& b)
      : a_(a.size()), b_(a.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      a_[i] = a.row(i)[column];
      b_[i] = b.row(i)[column];
      any_nan_ = any_nan_ || std::isnan(a_[i]) || std::isnan(b_[i]);
    }
  }

  std::pair<double, double> trial(const std::uint64_t* swap) const override {
    const std::size_t n = a_.size();
    if (!any_nan_) {
      // Every value counts: the np.mean of the mixed arrays, summed in NumPy's order in place.
      if (n == 0) return {0.0, 0.0};
      const metrics::SwappedSums sums = metrics::numpy_swapped_sums(a_.data(), b_.data(), swap, n);
      const double first = sums.first, second = sums.second;
      return {first / static_cast<double>(n), second / static_cast<double>(n)};
    }
    thread_local std::vector<double> first, second;
    first.clear();
    second.clear();
    for (std::size_t i = 0; i < a_.size(); ++i) {
      const bool swapped = bit(swap, i);
      const double x = swapped ? b_[i] : a_[i];
      const double y = swapped ? a_[i] : b_[i];
      if (!std::isnan(x)) first.push_back(x);
      if (!std::isnan(y)) second.push_back(y);
    }
    return {mean(first), mean(second)};
  }

 private:
  static double mean(const std::vector<double>& values) {
    return values.empty() ? 0.0 : metrics::numpy_mean(values);
  }
  std::vector<double> a_, b_;
  bool any_nan_ = false;
};

// No closed form: aggregate the mixed rows (rows 0..n-1 are A's, n..2n-1 B's).
class GenericPaired final : public stats::PairedMetric {
 public:
  GenericPaired(const metrics::Scorer& scorer, std::size_t key, const SampleStatistics& a,
                const SampleStatistics& b)
      : scorer_(scorer), key_(key), n_(a.size()), both_(2 * a.size(), a.width) {
    std::copy(a.values.begin(), a.values.end(), both_.values.begin());
    std::copy(b.values.begin(), b.values.end(),
              both_.values.begin() + static_cast<std::ptrdiff_t>(a.values.size()));
  }

  std::pair<double, double> trial(const std::uint64_t* swap) const override {
    std::vector<std::size_t> first(n_), second(n_);
    for (std::size_t i = 0; i < n_; ++i) {
      const bool swapped = bit(swap, i);
      first[i] = swapped ? n_ + i : i;
      second[i] = swapped ? i : n_ + i;
    }
    std::vector<double> values(scorer_.keys().size());
    scorer_.aggregate(both_, first.data(), n_, values.data());
    const double x = values[key_];
    scorer_.aggregate(both_, second.data(), n_, values.data());
    return {x, values[key_]};
  }

 private:
  const metrics::Scorer& scorer_;
  std::size_t key_;
  std::size_t n_;
  SampleStatistics both_;
};

class ScorerGroup final : public stats::ResampledGroup {
 public:
  ScorerGroup(const metrics::Scorer& scorer, std::vector<std::size_t> keys,
              const SampleStatistics& statistics)
      : scorer_(scorer),
        keys_(std::move(keys)),
        statistics_(statistics),
        n_keys_(scorer.keys().size()) {}

  std::size_t size() const override { return keys_.size(); }

  void values(const std::uint32_t* indices, std::size_t n, double* out) const override {
    std::vector<std::size_t> rows(indices, indices + n);
    std::vector<double> all(n_keys_, std::numeric_limits<double>::quiet_NaN());
    scorer_.aggregate(statistics_, rows.data(), n, all.data());
    for (std::size_t j = 0; j < keys_.size(); ++j) out[j] = all[keys_[j]];
  }

 private:
  const metrics::Scorer& scorer_;
  std::vector<std::size_t> keys_;
  const SampleStatistics& statistics_;
  std::size_t n_keys_;
};

}  // namespace

std::unique_ptr<stats::PairedMetric> make_paired_metric(const metrics::Scorer& scorer,
                                                        std::size_t key, const SampleStatistics& a,
                                                        const SampleStatistics& b) {
  if (a.size() != b.size() || a.width != b.width) {
    throw std::invalid_argument("make_paired_metric: the two systems' statistics differ in shape");
  }
  KeyAggregation aggregation = scorer.aggregation(key);
  switch (aggregation.kind) {
    case KeyAggregation::Kind::kSums:
      return std::make_unique<SumsPaired>(std::move(aggregation), a, b);
    case KeyAggregation::Kind::kMean:
      return std::make_unique<MeanPaired>(aggregation.column, a, b);
    case KeyAggregation::Kind::kNone:
      break;
  }
  return std::make_unique<GenericPaired>(scorer, key, a, b);
}

std::unique_ptr<stats::ResampledGroup> make_resampled_group(const metrics::Scorer& scorer,
                                                            std::vector<std::size_t> keys,
                                                            const SampleStatistics& statistics) {
  return std::make_unique<ScorerGroup>(scorer, std::move(keys), statistics);
}

}  // namespace rrg::pipelines
