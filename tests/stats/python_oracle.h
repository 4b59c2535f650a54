// Runs /usr/bin/python3 as a test-time oracle for the statistics tests (binary-safe output).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rrg::stats::testing {

// Whether /usr/bin/python3 exists and imports every module in `modules` (e.g. "numpy").
bool python_has(const std::vector<std::string>& modules);

// Runs `program` with `input` on stdin; fails the current test (ADD_FAILURE) and returns ""
// when it exits with an error.
std::string run_python(const std::string& program, const std::string& input = "");

// Reinterprets little-endian packed binary output.
std::vector<double> as_doubles(const std::string& bytes);
std::vector<std::int64_t> as_int64s(const std::string& bytes);

}  // namespace rrg::stats::testing

// Skips the current test unless the modules are importable.
#define RRG_REQUIRE_PYTHON(...)                                                      \
  do {                                                                               \
    if (!rrg::stats::testing::python_has({__VA_ARGS__}))                             \
      GTEST_SKIP() << "/usr/bin/python3 with the required modules is not available"; \
  } while (0)
