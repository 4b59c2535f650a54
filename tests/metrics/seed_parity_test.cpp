// Parity of the seed-convention ROUGE-L and METEOR scorers with the reference numbers in
// ../shared/parity/nlg/cases/*/expected.json (rouge-score 0.1.2 and NLTK 3.8 themselves).
//
// For every case: predictions from pred.jsonl, the first reference from ref.jsonl ("report"),
// both passed through the seed toolkit's clean_report, scored by "rouge-score" and "nltk-meteor";
// every per-sample value and the corpus value must equal expected.json within 1e-9 (they are
// expected to be bit-identical; the largest difference is printed). The same is checked without
// cleaning against details.seed_nltk_no_clean. Skips when ../shared is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rrg/metrics/driver.h"
#include "rrg/metrics/lexical/nltk_meteor.h"
#include "rrg/metrics/lexical/rouge_score.h"
#include "rrg/text/clean.h"
#include "support/test_support.h"

namespace {

constexpr double kTolerance = 1e-9;

std::map<std::string, std::string> read_reports(const std::string& path) {
  std::map<std::string, std::string> reports;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto record = nlohmann::json::parse(line);
    reports[record["id"].get<std::string>()] = record["report"].get<std::string>();
  }
  return reports;
}

std::vector<std::string> case_directories() {
  std::vector<std::string> cases;
  const std::string shared = rrg::testing::shared_dir();
  if (shared.empty()) return cases;
  for (const auto& entry : std::filesystem::directory_iterator(shared + "/parity/nlg/cases")) {
    if (std::filesystem::exists(entry.path() / "expected.json")) cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

struct Comparison {
  std::size_t values = 0;
  std::size_t bit_identical = 0;
  double max_difference = 0.0;
};

// Scores one case (cleaned or not) and compares with `expected` ({"corpus", "per_sample"}).
Comparison check_case(const std::string& dir, const nlohmann::json& ids,
                      const nlohmann::json& expected_corpus,
                      const nlohmann::json& expected_per_sample, bool clean) {
  const auto predictions = read_reports(dir + "/pred.jsonl");
  const auto references = read_reports(dir + "/ref.jsonl");
  rrg::metrics::TextCorpus corpus;
  for (const auto& id_json : ids) {
    const std::string id = id_json.get<std::string>();
    const std::string& hyp = predictions.at(id);
    const std::string& ref = references.at(id);
    corpus.hypotheses.push_back(clean ? rrg::text::seed_clean_report(hyp) : hyp);
    corpus.references.push_back({clean ? rrg::text::seed_clean_report(ref) : ref});
  }
  const rrg::metrics::RougeScoreScorer rouge;
  const rrg::metrics::NltkMeteorScorer meteor;
  Comparison comparison;
  for (const auto& scores :
       {rrg::metrics::score_corpus(rouge, corpus), rrg::metrics::score_corpus(meteor, corpus)}) {
    const std::string& name = scores.names[0];
    const auto check = [&](double got, double want, const std::string& where) {
      const double difference = std::fabs(got - want);
      comparison.max_difference = std::max(comparison.max_difference, difference);
      ++comparison.values;
      if (got == want) ++comparison.bit_identical;
      EXPECT_LE(difference, kTolerance) << dir << (clean ? "" : " (no clean)") << ": " << name
                                        << " " << where << " = " << got << ", expected " << want;
    };
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string id = ids[i].get<std::string>();
      check(scores.per_sample[0][i], expected_per_sample.at(id).at(name).get<double>(), id);
    }
    check(scores.corpus[0], expected_corpus.at(name).get<double>(), "corpus");
  }
  return comparison;
}

TEST(SeedParity, RougeLAndMeteorMatchExpected) {
  const std::vector<std::string> cases = case_directories();
  if (cases.empty()) GTEST_SKIP() << "no ../shared reference material";
  for (const auto& dir : cases) {
    std::ifstream in(dir + "/expected.json");
    const auto expected = nlohmann::json::parse(in);
    const Comparison c =
        check_case(dir, expected["ids"], expected["corpus"], expected["per_sample"], true);
    std::printf("%-20s %4zu values, %4zu bit-identical, max |difference| %.3g\n",
                std::filesystem::path(dir).filename().c_str(), c.values, c.bit_identical,
                c.max_difference);
    EXPECT_GT(c.values, 2u);
  }
}

TEST(SeedParity, WithoutCleaningMatchesNoCleanDetails) {
  const std::vector<std::string> cases = case_directories();
  if (cases.empty()) GTEST_SKIP() << "no ../shared reference material";
  for (const auto& dir : cases) {
    std::ifstream in(dir + "/expected.json");
    const auto expected = nlohmann::json::parse(in);
    const auto& details = expected["details"]["seed_nltk_no_clean"];
    // Cases where cleaning changed nothing (or whitespace only) refer to the main numbers.
    const bool own_numbers = details.contains("per_sample");
    const Comparison c =
        check_case(dir, expected["ids"], own_numbers ? details["corpus"] : expected["corpus"],
                   own_numbers ? details["per_sample"] : expected["per_sample"], false);
    std::printf("%-20s %4zu values, %4zu bit-identical, max |difference| %.3g (no clean)\n",
                std::filesystem::path(dir).filename().c_str(), c.values, c.bit_identical,
                c.max_difference);
  }
}

}  // namespace
