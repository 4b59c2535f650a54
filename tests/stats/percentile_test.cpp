// numpy_percentile against np.percentile itself (/usr/bin/python3 with python3-numpy at test
// time), bit for bit: many sizes, percentiles, ties, infinities and NaN.
#include "rrg/stats/percentile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "python_oracle.h"

namespace {

using rrg::stats::numpy_percentile;
using rrg::stats::numpy_percentile_interval;
using rrg::stats::testing::as_doubles;
using rrg::stats::testing::run_python;

std::string pack(const std::vector<double>& values) {
  std::string out(values.size() * sizeof(double), '\0');
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::vector<std::vector<double>> arrays() {
  std::mt19937_64 rng(31);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::vector<double>> out;
  for (std::size_t n : {1, 2, 3, 4, 7, 10, 40, 199, 999, 1000, 1001, 10000}) {
    std::vector<double> a(n);
    for (double& x : a) x = (unit(rng) - 0.3) * std::pow(10.0, static_cast<int>(unit(rng) * 4) - 2);
    out.push_back(a);
  }
  out.push_back({0.5, 0.5, 0.5, 0.25, 0.25, 1.0});                           // ties
  out.push_back({1.0, -std::numeric_limits<double>::infinity(), 2.0, 3.0});  // -inf
  out.push_back({1.0, std::numeric_limits<double>::infinity(), 2.0});
  out.push_back({std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()});
  out.push_back({1.0, std::nan(""), 2.0});
  return out;
}

const std::vector<double> kPercentiles{0,    0.1, 1,  2.5, 5,    10, 25,   33.3, 50,
                                       62.5, 75,  90, 95,  97.5, 99, 99.9, 100};

TEST(NumpyPercentile, EqualsNumpyBitForBit) {
  RRG_REQUIRE_PYTHON("numpy");
  const auto all = arrays();
  const std::vector<double> cis{95.0, 90.0, 99.0, 68.27, 50.0, 99.9};
  // stdin: the percentiles, then each array preceded by its length (all as float64).
  std::string input = pack(kPercentiles);
  for (const auto& a : all) input += pack({static_cast<double>(a.size())}) + pack(a);
  const std::vector<double> expected = as_doubles(run_python(R"PY(
import sys, warnings
import numpy as np
warnings.simplefilter("ignore")
data = np.frombuffer(sys.stdin.buffer.read(), dtype='<f8')
q, at, out = data[:17], 17, []
while at < len(data):
    n = int(data[at]); a = data[at + 1:at + 1 + n].copy(); at += 1 + n
    out.extend(float(np.percentile(a, float(p))) for p in q)
    for ci in (95.0, 90.0, 99.0, 68.27, 50.0, 99.9):
        out.extend(float(v) for v in np.percentile(a, [(100 - ci) / 2, 100 - (100 - ci) / 2]))
sys.stdout.buffer.write(np.array(out, dtype='<f8').tobytes())
)PY",
                                                             input));
  ASSERT_EQ(expected.size(), all.size() * (kPercentiles.size() + 2 * cis.size()));
  auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
  std::size_t k = 0;
  for (const auto& a : all) {
    for (double q : kPercentiles) {
      const double got = numpy_percentile(a, q), want = expected[k++];
      EXPECT_TRUE(same(got, want))
          << "n " << a.size() << " q " << q << ": " << got << " vs " << want;
    }
    for (double ci : cis) {
      const auto got = numpy_percentile_interval(a, ci);
      const double low = expected[k++], high = expected[k++];
      EXPECT_TRUE(same(got.low, low)) << "n " << a.size() << " ci " << ci;
      EXPECT_TRUE(same(got.high, high)) << "n " << a.size() << " ci " << ci;
    }
  }
}

TEST(NumpyPercentile, RefusesEmptyInputAndPercentilesOutOfRange) {
  EXPECT_THROW(numpy_percentile({}, 50), std::invalid_argument);
  EXPECT_THROW(numpy_percentile({1.0}, -1), std::invalid_argument);
  EXPECT_THROW(numpy_percentile({1.0}, 100.5), std::invalid_argument);
  EXPECT_THROW(numpy_percentile({1.0}, std::nan("")), std::invalid_argument);
  EXPECT_EQ(numpy_percentile({3.0, 1.0, 2.0}, 50), 2.0);
}

}  // namespace
