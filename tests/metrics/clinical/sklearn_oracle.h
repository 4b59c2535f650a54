// Runs tests/metrics/clinical/clinical_oracle.py (scikit-learn 1.2 under Debian's /usr/bin/python3)
// for the clinical-metric tests and returns its JSON answer.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rrg::testing {

struct OracleAnswer {
  nlohmann::json json;      // the oracle's stdout, parsed
  std::string unavailable;  // non-empty: why the oracle could not run (tests GTEST_SKIP())
};

// Sends `request` to the oracle. An oracle that starts but fails (exit status other than 0 and
// the script's "sklearn missing" status 77) fails the calling test and throws.
OracleAnswer run_sklearn_oracle(const nlohmann::json& request);

}  // namespace rrg::testing
