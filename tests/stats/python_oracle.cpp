// Python oracle helpers (see python_oracle.h).
#include "python_oracle.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "support/test_support.h"

namespace rrg::stats::testing {

bool python_has(const std::vector<std::string>& modules) {
  static std::map<std::vector<std::string>, bool> known;
  const auto found = known.find(modules);
  if (found != known.end()) return found->second;
  bool ok = rrg::testing::file_exists("/usr/bin/python3");
  if (ok) {
    std::string program = "import sys\n";
    for (const auto& m : modules) program += "import " + m + "\n";
    ok = rrg::testing::run_command({"/usr/bin/python3", "-c", program}).exit_code == 0;
  }
  known[modules] = ok;
  return ok;
}

std::string run_python(const std::string& program, const std::string& input) {
  const auto result = rrg::testing::run_command({"/usr/bin/python3", "-c", program}, input);
  if (result.exit_code != 0) {
    ADD_FAILURE() << "python exited with " << result.exit_code << ": " << result.err;
    return "";
  }
  return result.out;
}

std::vector<double> as_doubles(const std::string& bytes) {
  std::vector<double> out(bytes.size() / sizeof(double));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(double));
  return out;
}

std::vector<std::int64_t> as_int64s(const std::string& bytes) {
  std::vector<std::int64_t> out(bytes.size() / sizeof(std::int64_t));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(std::int64_t));
  return out;
}

}  // namespace rrg::stats::testing
