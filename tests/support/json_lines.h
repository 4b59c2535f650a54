// Running a Python oracle that reads one JSON value per line on stdin and writes one JSON object
// per line on stdout (tests/text/wordpiece_reference.py and friends).
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace rrg::testing {

// Runs `argv` with `inputs` as JSON lines; returns the output lines parsed. A failing program
// fails the calling test (with its stderr) and yields what it printed so far.
inline std::vector<nlohmann::json> run_json_lines(const std::vector<std::string>& argv,
                                                  const std::vector<std::string>& inputs) {
  std::string stdin_text;
  for (const auto& text : inputs) stdin_text += nlohmann::json(text).dump() + "\n";
  const CommandResult r = run_command(argv, stdin_text);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<nlohmann::json> out;
  for (std::size_t start = 0; start < r.out.size();) {
    std::size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    out.push_back(nlohmann::json::parse(r.out.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

// CheXbert's token ids of `texts` ([CLS] ... [SEP], cut to 512) from the Python reference
// tokenizer tests/text/wordpiece_reference.py with vocabulary `vocab`.
inline std::vector<std::vector<long>> reference_chexbert_ids(const std::vector<std::string>& texts,
                                                             const std::string& vocab) {
  std::vector<std::vector<long>> ids;
  for (const auto& line : run_json_lines(
           {"/usr/bin/python3", source_dir() + "/tests/text/wordpiece_reference.py", vocab},
           texts)) {
    ids.push_back(line["ids"].get<std::vector<long>>());
  }
  return ids;
}

}  // namespace rrg::testing
