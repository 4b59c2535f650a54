// CheXbert vector similarity (cosine of embeddings) against NumPy (float64) run by
// /usr/bin/python3 at test time, as RadCliQ's add_semb_col computes it.
#include "rrg/metrics/clinical/embedding_similarity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "support/test_support.h"

namespace rrg::testing {
namespace {

TEST(EmbeddingSimilarityTest, MatchesNumpy) {
  std::mt19937 rng(3);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<std::vector<float>> a(20, std::vector<float>(768)), b = a;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t k = 0; k < 768; ++k) {
      a[i][k] = dist(rng);
      b[i][k] = i % 3 == 0 ? a[i][k] : 0.5f * a[i][k] + dist(rng);  // identical, or correlated
    }
  }
  const auto got = metrics::embedding_similarity(a, b);
  const std::string program =
      "import json, sys, numpy as np\n"
      "d = json.load(sys.stdin)\n"
      "a, b = np.array(d['a'], dtype=np.float64), np.array(d['b'], dtype=np.float64)\n"
      "s = [(x * y).sum() / (np.linalg.norm(x) * np.linalg.norm(y)) for x, y in zip(a, b)]\n"
      "print(json.dumps({'per_sample': [float(v) for v in s], 'mean': float(np.mean(s))}))\n";
  const CommandResult r =
      run_command({"/usr/bin/python3", "-c", program}, nlohmann::json{{"a", a}, {"b", b}}.dump());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto want = nlohmann::json::parse(r.out);
  ASSERT_EQ(got.per_sample.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(got.per_sample[i], want["per_sample"][i].get<double>(), 1e-12) << i;
  }
  EXPECT_NEAR(got.per_sample[0], 1.0, 1e-12);
  EXPECT_NEAR(got.mean, want["mean"].get<double>(), 1e-12);
}

TEST(EmbeddingSimilarityTest, DegenerateInputs) {
  EXPECT_TRUE(std::isnan(metrics::cosine_similarity({0, 0}, {1, 2})));
  EXPECT_DOUBLE_EQ(metrics::cosine_similarity({1, 0}, {0, 3}), 0.0);
  EXPECT_DOUBLE_EQ(metrics::cosine_similarity({1, 2}, {-2, -4}), -1.0);
  EXPECT_THROW(metrics::cosine_similarity({1}, {1, 2}), std::invalid_argument);
  const auto empty = metrics::embedding_similarity({}, {});
  EXPECT_TRUE(empty.per_sample.empty());
  EXPECT_EQ(empty.mean, 0.0);
  const auto mixed = metrics::embedding_similarity({{0, 0}, {1, 1}}, {{1, 1}, {1, 1}});
  EXPECT_TRUE(std::isnan(mixed.per_sample[0]));
  EXPECT_DOUBLE_EQ(mixed.mean, 1.0);  // NaN samples are left out of the mean
}

}  // namespace
}  // namespace rrg::testing
