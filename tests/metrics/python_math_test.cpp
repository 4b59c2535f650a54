// Tests of rrg/metrics/python_math.h against Python and NumPy themselves (/usr/bin/python3 at
// test time). Numbers travel as float.hex() strings so every bit is compared.
#include "rrg/metrics/python_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace {

using rrg::metrics::numpy_mean;
using rrg::metrics::python_fsum;
using rrg::metrics::python_pow;

std::string hex(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", x);
  return buffer;
}

// Runs `program` with one line of space-separated hex floats per array on stdin; returns the
// answers, one hex float per line.
std::vector<double> ask_python(const std::string& program,
                               const std::vector<std::vector<double>>& arrays) {
  std::string input;
  for (const auto& array : arrays) {
    for (double x : array) input += hex(x) + " ";
    input += "\n";
  }
  const auto result = rrg::testing::run_command({"/usr/bin/python3", "-c", program}, input);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<double> answers;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);)
    answers.push_back(std::strtod(line.c_str(), nullptr));
  return answers;
}

std::vector<std::vector<double>> random_arrays(const std::vector<std::size_t>& sizes, bool signs) {
  std::mt19937_64 rng(20240601);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::vector<double>> arrays;
  for (std::size_t n : sizes) {
    std::vector<double> a(n);
    // Mixed magnitudes make the summation order visible in the last bits.
    for (double& x : a)
      x = unit(rng) * std::pow(10.0, static_cast<int>(unit(rng) * 6) - 3) *
          (signs && unit(rng) < 0.5 ? -1 : 1);
    arrays.push_back(std::move(a));
  }
  return arrays;
}

TEST(PythonMath, NumpyMeanMatchesNumpyBitForBit) {
  const std::vector<std::size_t> sizes{1,    2,    7,    8,    9,     15,    16,
                                       17,   127,  128,  129,  255,   256,   382,
                                       1000, 8191, 8192, 8193, 16385, 20000, 100003};
  const auto arrays = random_arrays(sizes, false);
  const auto expected = ask_python(R"PY(
import sys, numpy as np
for line in sys.stdin:
    a = np.array([float.fromhex(t) for t in line.split()], dtype=np.float64)
    print(float(np.mean(a)).hex())
)PY",
                                   arrays);
  ASSERT_EQ(expected.size(), arrays.size());
  for (std::size_t k = 0; k < arrays.size(); ++k) {
    EXPECT_EQ(hex(numpy_mean(arrays[k])), hex(expected[k])) << "n=" << arrays[k].size();
  }
  EXPECT_TRUE(std::isnan(numpy_mean(std::vector<double>{})));
}

TEST(PythonMath, FsumMatchesPythonBitForBit) {
  auto arrays = random_arrays({0, 1, 2, 3, 4, 5, 10, 50, 1000}, true);
  arrays.push_back({1e-16, 1.0, 1e16});  // the half-even correction case from CPython's comments
  arrays.push_back({1e308, 1.0, -1e308});
  arrays.push_back({0.1, 0.2, 0.3, -0.6});
  const auto expected = ask_python(R"PY(
import sys, math
for line in sys.stdin:
    print(math.fsum(float.fromhex(t) for t in line.split()).hex())
)PY",
                                   arrays);
  ASSERT_EQ(expected.size(), arrays.size());
  for (std::size_t k = 0; k < arrays.size(); ++k) {
    EXPECT_EQ(hex(python_fsum(arrays[k])), hex(expected[k])) << "array " << k;
  }
}

TEST(PythonMath, PowMatchesPythonIncludingSquares) {
  // 0.20657378422267467 ** 2 is one of the cases where libm pow() and x * x differ.
  std::vector<double> bases{0.20657378422267467, 3659146.1437410228, 1.2, 0.5, 7.25};
  const auto more = random_arrays({200}, false)[0];
  bases.insert(bases.end(), more.begin(), more.end());
  const std::vector<double> exponents{2.0, 0.5, 1.0 / 3.0, 0.25, -1.5};
  const auto expected = ask_python(R"PY(
import sys
bases = [float.fromhex(t) for t in sys.stdin.readline().split()]
for e in (2.0, 0.5, 1.0 / 3.0, 0.25, -1.5):
    for b in bases:
        print((b ** e).hex())
)PY",
                                   {bases});
  ASSERT_EQ(expected.size(), bases.size() * exponents.size());
  std::size_t k = 0;
  for (double e : exponents) {
    for (double b : bases) EXPECT_EQ(hex(python_pow(b, e)), hex(expected[k++])) << b << "**" << e;
  }
}

TEST(PythonMath, SquareEqualsPowEverywhere) {
  // Random doubles of many magnitudes, plus the squares where pow(x, 2) != x * x is most likely:
  // inputs whose exact square lies near a rounding midpoint.
  std::mt19937_64 rng(99);
  std::size_t near_midpoint = 0;
  for (int i = 0; i < 3000000; ++i) {
    std::uint64_t bits =
        (rng() & 0x000FFFFFFFFFFFFFull) | (std::uint64_t(1023 - 40 + rng() % 80) << 52);
    double x;
    std::memcpy(&x, &bits, sizeof x);
    const double expected = python_pow(x, 2.0);
    ASSERT_EQ(hex(rrg::metrics::python_square(x)), hex(expected)) << hex(x);
    if (expected != x * x) ++near_midpoint;
  }
  EXPECT_GT(near_midpoint, 100u);  // the slow path was exercised where it matters
  for (double x : {0.0, -0.0, 1.0, 2.0, 0.5, 3.0, 1e-200, 1e200, 1e-160, -7.5}) {
    EXPECT_EQ(hex(rrg::metrics::python_square(x)), hex(python_pow(x, 2.0))) << x;
  }
}

}  // namespace
