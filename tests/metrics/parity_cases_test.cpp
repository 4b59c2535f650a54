// Parity with the reference implementations on the shared cases (../shared/parity/nlg/cases).
//
// For every case directory: pred.jsonl / ref.jsonl are read, and every registered scorer is run
// on the corpus its family defines -- "coco": the texts as given with all references; "seed":
// the seed toolkit's clean_report on both sides and the first reference only. Every corpus value
// and every per-sample value whose key appears in expected.json must agree within 1e-9; the test
// also prints how many were bit-identical. Skips when ../shared is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rrg/metrics/driver.h"
#include "rrg/metrics/registry.h"
#include "rrg/text/clean.h"
#include "support/test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kTolerance = 1e-9;

std::string cases_dir() {
  const std::string shared = rrg::testing::shared_dir();
  return shared.empty() ? "" : shared + "/parity/nlg/cases";
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  const std::string dir = cases_dir();
  if (dir.empty() || !fs::is_directory(dir)) return names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (fs::exists(entry.path() / "expected.json")) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<json> read_jsonl(const std::string& path) {
  std::vector<json> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) rows.push_back(json::parse(line));
  }
  return rows;
}

struct Case {
  std::vector<std::string> ids;
  rrg::metrics::TextCorpus coco;
  rrg::metrics::TextCorpus seed;
  json expected;
};

Case load_case(const std::string& name) {
  const std::string dir = cases_dir() + "/" + name;
  Case c;
  c.expected = json::parse(rrg::testing::read_file(dir + "/expected.json"));
  std::map<std::string, std::vector<std::string>> references;
  for (const json& row : read_jsonl(dir + "/ref.jsonl")) {
    references[row.at("id")] = row.contains("references")
                                   ? row.at("references").get<std::vector<std::string>>()
                                   : std::vector<std::string>{row.at("report").get<std::string>()};
  }
  for (const json& row : read_jsonl(dir + "/pred.jsonl")) {
    const std::string id = row.at("id");
    const std::string report = row.at("report");
    const auto& refs = references.at(id);
    c.ids.push_back(id);
    c.coco.hypotheses.push_back(report);
    c.coco.references.push_back(refs);
    c.seed.hypotheses.push_back(rrg::text::seed_clean_report(report));
    c.seed.references.push_back({rrg::text::seed_clean_report(refs.front())});
  }
  return c;
}

class ParityCase : public ::testing::TestWithParam<std::string> {};

TEST_P(ParityCase, EveryValueMatchesExpected) {
  const Case c = load_case(GetParam());
  ASSERT_EQ(c.ids, c.expected.at("ids").get<std::vector<std::string>>());
  std::size_t checked = 0, identical = 0;
  double worst = 0.0;
  std::map<std::string, std::size_t> differing;  // metric -> values not bit-identical
  for (const auto& info : rrg::metrics::scorer_infos()) {
    if (info.needs != rrg::metrics::ScorerNeeds::kTexts) continue;  // labels: no shared values
    const auto scorer = rrg::metrics::make_scorer(info.id, {});
    const auto& corpus = info.family == "seed" ? c.seed : c.coco;
    const rrg::metrics::MetricScores scores = rrg::metrics::score_corpus(*scorer, corpus);
    for (std::size_t k = 0; k < scores.names.size(); ++k) {
      const std::string& name = scores.names[k];
      if (!c.expected.at("corpus").contains(name)) continue;
      const auto check = [&](double actual, double expected, const std::string& where) {
        ++checked;
        if (actual == expected) {
          ++identical;
        } else {
          ++differing[name];
        }
        worst = std::max(worst, std::fabs(actual - expected));
        EXPECT_NEAR(actual, expected, kTolerance) << GetParam() << " " << name << " " << where;
      };
      check(scores.corpus[k], c.expected["corpus"][name].get<double>(), "corpus");
      ASSERT_EQ(scores.per_sample[k].size(), c.ids.size());
      for (std::size_t i = 0; i < c.ids.size(); ++i) {
        check(scores.per_sample[k][i], c.expected["per_sample"][c.ids[i]][name].get<double>(),
              "sample " + c.ids[i]);
      }
    }
  }
  EXPECT_GT(checked, 0u);
  std::cout << "[parity] " << GetParam() << ": " << checked << " values, " << identical
            << " bit-identical, max |diff| = " << worst;
  for (const auto& [name, count] : differing)
    std::cout << "; " << name << ": " << count << " differ";
  std::cout << "\n";
}

INSTANTIATE_TEST_SUITE_P(SharedCases, ParityCase, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ParityCase);

TEST(ParityCases, SharedMaterialPresent) {
  if (cases_dir().empty()) GTEST_SKIP() << "../shared not found: parity cases skipped";
  EXPECT_FALSE(case_names().empty()) << "no cases under " << cases_dir();
}

}  // namespace
