// The sklearn oracle runner (see sklearn_oracle.h).
#include "sklearn_oracle.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/test_support.h"

namespace rrg::testing {

namespace {
// Debian's interpreter: the `python3` first on PATH may be another one without sklearn.
constexpr const char* kPython = "/usr/bin/python3";
// clinical_oracle.py's exit status when numpy/sklearn cannot be imported.
constexpr int kMissingModules = 77;
}  // namespace

OracleAnswer run_sklearn_oracle(const nlohmann::json& request) {
  OracleAnswer answer;
  if (!file_exists(kPython)) {
    answer.unavailable = "no /usr/bin/python3 (install python3-sklearn)";
    return answer;
  }
  const std::string script = source_dir() + "/tests/metrics/clinical/clinical_oracle.py";
  const CommandResult result = run_command({kPython, script}, request.dump());
  if (result.exit_code == kMissingModules) {
    answer.unavailable = result.err;
    return answer;
  }
  if (result.exit_code != 0) {
    ADD_FAILURE() << "oracle failed (exit " << result.exit_code << "): " << result.err;
    throw std::runtime_error("sklearn oracle failed");
  }
  answer.json = nlohmann::json::parse(result.out);
  return answer;
}

}  // namespace rrg::testing
