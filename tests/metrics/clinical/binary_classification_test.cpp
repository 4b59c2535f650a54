// sklearn/numpy-equivalent primitives: numpy's summation order (bit for bit, against numpy at
// test time) and small confusion matrices worked out by hand from sklearn's definitions.
#include "rrg/metrics/clinical/binary_classification.h"
#include "rrg/metrics/python_math.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "sklearn_oracle.h"

namespace {

using rrg::metrics::ConfusionCounts;

ConfusionCounts counts(std::size_t tp, std::size_t fp, std::size_t fn, std::size_t tn) {
  ConfusionCounts c;
  c.tp = tp;
  c.fp = fp;
  c.fn = fn;
  c.tn = tn;
  return c;
}

TEST(NumpySum, MatchesNumpyBitForBit) {
  // Sizes straddling numpy's code paths: < 8 plain loop, <= 128 eight accumulators, recursive
  // split, and the 8192-element buffer blocks. Values of mixed magnitude make order visible.
  std::mt19937_64 engine(20240611);
  std::vector<std::vector<double>> arrays;
  for (std::size_t n :
       {0, 1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 1000, 8191, 8192, 8193, 16385, 20000, 100000}) {
    std::vector<double> a(n);
    for (auto& x : a) {
      const double unit = static_cast<double>(engine() >> 11) / 9007199254740992.0;  // [0, 1)
      const double scale[] = {1.0, 1e-8, 1e8};
      x = unit * scale[engine() % 3];
    }
    arrays.push_back(std::move(a));
  }
  const auto answer = rrg::testing::run_sklearn_oracle({{"mode", "sum"}, {"arrays", arrays}});
  if (!answer.unavailable.empty()) GTEST_SKIP() << answer.unavailable;
  const nlohmann::json& oracle = answer.json;
  for (std::size_t i = 0; i < arrays.size(); ++i) {
    SCOPED_TRACE("n=" + std::to_string(arrays[i].size()));
    const double ours = rrg::metrics::numpy_sum(arrays[i].data(), arrays[i].size());
    const double theirs = oracle.at("sum").at(i).get<double>();
    EXPECT_EQ(std::memcmp(&ours, &theirs, sizeof ours), 0) << ours << " vs " << theirs;
    const auto mean = rrg::metrics::numpy_mean_or_none(arrays[i]);
    if (arrays[i].empty()) {
      EXPECT_FALSE(mean.has_value());
      EXPECT_TRUE(oracle.at("mean").at(i).is_null());
    } else {
      ASSERT_TRUE(mean.has_value());
      EXPECT_EQ(*mean, oracle.at("mean").at(i).get<double>());
    }
  }
}

// y_true = 1 1 1 0 0 0 0, y_pred = 1 1 0 1 0 0 0: TP 2, FP 1, FN 1, TN 3.
TEST(BinaryScores, HandWorkedConfusion) {
  const ConfusionCounts c = counts(2, 1, 1, 3);
  EXPECT_DOUBLE_EQ(rrg::metrics::precision(c), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(rrg::metrics::recall(c), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(rrg::metrics::f1(c), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(rrg::metrics::specificity(c), 3.0 / 4.0);
  // ROC through (0,0), (1/4, 2/3), (1,1): 1/4 * 2/3 / 2 + 3/4 * 5/3 / 2 = 1/12 + 5/8 = 17/24.
  EXPECT_DOUBLE_EQ(*rrg::metrics::binary_prediction_auc(c), 17.0 / 24.0);
}

TEST(BinaryScores, IllDefinedValuesAreZeroLikeSklearn12) {
  // No predicted and no true positives: precision, recall and F1 all 0.0 (zero_division="warn").
  const ConfusionCounts none = counts(0, 0, 0, 5);
  EXPECT_EQ(rrg::metrics::precision(none), 0.0);
  EXPECT_EQ(rrg::metrics::recall(none), 0.0);
  EXPECT_EQ(rrg::metrics::f1(none), 0.0);
  EXPECT_EQ(rrg::metrics::specificity(none), 1.0);
  EXPECT_FALSE(rrg::metrics::binary_prediction_auc(none).has_value());
  // All references positive: specificity has no negatives -> 0.0; AUC undefined.
  const ConfusionCounts all_pos = counts(3, 0, 1, 0);
  EXPECT_EQ(rrg::metrics::specificity(all_pos), 0.0);
  EXPECT_FALSE(rrg::metrics::binary_prediction_auc(all_pos).has_value());
  EXPECT_FALSE(rrg::metrics::binary_prediction_auc(ConfusionCounts{}).has_value());
}

TEST(BinaryScores, ConstantPredictionHasAucOneHalf) {
  EXPECT_EQ(*rrg::metrics::binary_prediction_auc(counts(0, 0, 4, 6)), 0.5);  // all 0
  EXPECT_EQ(*rrg::metrics::binary_prediction_auc(counts(4, 6, 0, 0)), 0.5);  // all 1
  EXPECT_EQ(*rrg::metrics::binary_prediction_auc(counts(4, 0, 0, 6)), 1.0);  // perfect
  EXPECT_EQ(*rrg::metrics::binary_prediction_auc(counts(0, 6, 4, 0)), 0.0);  // inverted
}

TEST(LabelAverages, WeightedWithoutSupportIsZero) {
  const std::vector<ConfusionCounts> labels = {counts(0, 2, 0, 3), counts(0, 0, 0, 5)};
  const auto weighted =
      rrg::metrics::average_over_labels(labels, rrg::metrics::LabelAverage::kWeighted);
  EXPECT_EQ(weighted.precision, 0.0);
  EXPECT_EQ(weighted.recall, 0.0);
  EXPECT_EQ(weighted.f1, 0.0);
  const auto empty = rrg::metrics::average_over_samples({});
  EXPECT_EQ(empty.f1, 0.0);
}

}  // namespace
