// Tests of GREEN's answer parser (rrg/metrics/green/green_parser.h):
//  - the corpus tests/data/green/parser_cases.jsonl (judge answers written for rrg, with counts
//    and GREEN values worked out by hand from GREEN's parsing rules), in both dialects;
//  - the same answers, and a few hundred generated ones, against an independent Python
//    re-implementation of GREEN's parser that uses Python's own `re` (green_oracle.py, run with
//    /usr/bin/python3; the test skips when it is missing).
#include "rrg/metrics/green/green_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace rrg::metrics::green {
namespace {

using nlohmann::json;

constexpr const char* kPython = "/usr/bin/python3";

std::vector<json> load_cases() {
  const std::string path = rrg::testing::source_dir() + "/tests/data/green/parser_cases.jsonl";
  std::ifstream in(path);
  std::vector<json> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) cases.push_back(json::parse(line));
  }
  return cases;
}

std::vector<std::int64_t> as_vector(const std::array<std::int64_t, kGreenSubCategoryCount>& a) {
  return {a.begin(), a.end()};
}

// The parse in the oracle's JSON shape.
json to_json(const GreenParse& parse) {
  if (!parse.error.empty()) return {{"error", parse.error}};
  return {{"significant", as_vector(parse.counts.significant)},
          {"insignificant", as_vector(parse.counts.insignificant)},
          {"matched", parse.counts.matched},
          {"score", *parse.score}};
}

void expect_case(const json& expected, const GreenParse& parse, const std::string& label) {
  if (expected.contains("error")) {
    EXPECT_FALSE(parse.score.has_value()) << label;
    EXPECT_NE(parse.error.find(expected["error"].get<std::string>()), std::string::npos)
        << label << ": " << parse.error;
    return;
  }
  ASSERT_TRUE(parse.error.empty()) << label << ": " << parse.error;
  ASSERT_TRUE(parse.score.has_value()) << label;
  EXPECT_EQ(as_vector(parse.counts.significant),
            expected["significant"].get<std::vector<std::int64_t>>())
      << label;
  EXPECT_EQ(as_vector(parse.counts.insignificant),
            expected["insignificant"].get<std::vector<std::int64_t>>())
      << label;
  EXPECT_EQ(parse.counts.matched, expected["matched"].get<std::int64_t>()) << label;
  // compute_green is one division of exact integers: bit-equal to Python.
  EXPECT_EQ(*parse.score, expected["green"].get<double>()) << label;
}

TEST(GreenParser, CorpusHasEnoughCases) {
  EXPECT_GE(load_cases().size(), 60u);
}

TEST(GreenParser, CorpusMatchesHandWorkedExpectations) {
  for (const auto& c : load_cases()) {
    const std::string name = c["name"];
    expect_case(c, parse_green_output(c["answer"].get<std::string>(), GreenDialect::kGreen),
                name + " (green)");
    json radeval = c;
    if (c.contains("radeval")) radeval.update(c["radeval"]);
    expect_case(radeval, parse_green_output(c["answer"].get<std::string>(), GreenDialect::kRadEval),
                name + " (radeval)");
  }
}

// Runs the oracle on `answers`; returns one JSON object per answer, or skips the test.
std::vector<json> run_oracle(const std::vector<std::string>& answers) {
  std::string input;
  for (const auto& answer : answers) input += json{{"answer", answer}}.dump() + "\n";
  const auto result = rrg::testing::run_command(
      {kPython, rrg::testing::source_dir() + "/tests/metrics/green/green_oracle.py"}, input);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<json> out;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) out.push_back(json::parse(line));
  EXPECT_EQ(out.size(), answers.size());
  return out;
}

void expect_same_as_oracle(const std::vector<std::string>& answers) {
  const auto oracle = run_oracle(answers);
  for (std::size_t i = 0; i < answers.size() && i < oracle.size(); ++i) {
    for (const auto dialect : {GreenDialect::kGreen, GreenDialect::kRadEval}) {
      const json mine = to_json(parse_green_output(answers[i], dialect));
      const json& theirs = oracle[i][std::string(green_dialect_name(dialect))];
      if (theirs.contains("error")) {
        EXPECT_TRUE(mine.contains("error")) << json(answers[i]).dump();
      } else {
        EXPECT_EQ(mine, theirs) << green_dialect_name(dialect) << " " << json(answers[i]).dump();
      }
    }
  }
}

TEST(GreenParser, CorpusMatchesThePythonOracle) {
  if (!rrg::testing::file_exists(kPython)) GTEST_SKIP() << "no /usr/bin/python3";
  std::vector<std::string> answers;
  for (const auto& c : load_cases()) answers.push_back(c["answer"]);
  expect_same_as_oracle(answers);
}

// Answers assembled at random from the pieces GREEN's patterns care about: headers (right,
// wrong, repeated), "No" openings, items with letters or numbers, counts in digits, words and
// other scripts, blank and whitespace-only lines, thinking and special tokens.
std::vector<std::string> generated_answers(std::size_t count) {
  // Repeated entries make the common (well-formed) pieces more likely than the odd ones.
  const std::vector<std::string> headers = {"[Clinically Significant Errors]:",
                                            "[Clinically Significant Errors]:",
                                            "[Clinically Significant Errors]:",
                                            "[Clinically Insignificant Errors]:",
                                            "[Clinically Insignificant Errors]:",
                                            "[Matched Findings]:",
                                            "[Matched Findings]:",
                                            "[Matched Findings]:",
                                            "[Explanation]:",
                                            "[Matched Findings]",
                                            "**[Matched Findings]:**"};
  const std::vector<std::string> openings = {"\n",  "\n",     "\n",         "\n",
                                             " ",   "\n\n",   "No errors.", "None\n",
                                             "no ", "\u00a0", "\t\n ",      "Nothing "};
  const std::vector<std::string> numbers = {
      "0",   "1",   "2",      "3",      "12",     "1",  "2",
      "007", "two", "\u0663", "\uff15", "\u00b2", "3a", "10000000000000000",
      "1.5", ""};
  const std::vector<std::string> labels = {"(a) ", "(b) ", "(c) ", "(d) ",  "(e) ", "(f) ",
                                           "(a) ", "(b) ", "(c) ", "(g) ",  "(A) ", "(1) ",
                                           "(3) ", "(6) ", "(a)",  "- (b) "};
  const std::vector<std::string> glue = {": ", ": ", ": ",  ": ",  ": ",
                                         ": ", ":",  ":  ", " - ", ": **"};
  const std::vector<std::string> after = {". X; Y.",    ". X; Y.", ".",  "",
                                          " findings.", "**.",     ".\r"};
  const std::vector<std::string> breaks = {"\n",   "\n\n",       "\n\n", "\n \n",
                                           "\r\n", "\n\u00a0\n", " "};
  const std::vector<std::string> extras = {
      "<think>[Matched Findings]:\n9.</think>", "</s>",   "<unk>", "<|assistant|>", "</think>",
      "[Explanation]:\n    <Explanation>\n",    "<think>"};
  std::mt19937 random(20240514);
  const auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
  };
  const auto chance = [&](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(random) < percent;
  };
  std::vector<std::string> out;
  for (std::size_t n = 0; n < count; ++n) {
    std::string answer;
    if (chance(35)) {
      // Close to GREEN's format: errors, then matched findings, a piece or two perturbed.
      answer += "[Clinically Significant Errors]:\n";
      for (const char* label : {"(a) ", "(b) ", "(c) ", "(d) ", "(e) ", "(f) "}) {
        answer += (chance(90) ? std::string(label) : pick(labels)) + "Type" +
                  (chance(85) ? std::string(": ") : pick(glue)) + pick(numbers) +
                  (chance(80) ? std::string(". X.") : pick(after)) + "\n";
      }
      answer += (chance(85) ? std::string("\n") : pick(breaks)) +
                "[Matched Findings]:" + (chance(80) ? std::string("\n") : pick(openings)) +
                pick(numbers) + ". M.";
    }
    const int sections = std::uniform_int_distribution<int>(0, 5)(random);
    for (int s = 0; s < sections; ++s) {
      if (chance(10)) answer += pick(extras);
      answer += pick(headers) + pick(openings);
      if (chance(45)) answer += pick(numbers) + pick(after) + pick(breaks);
      const int items = std::uniform_int_distribution<int>(0, 5)(random);
      for (int i = 0; i < items; ++i) {
        if (chance(15)) answer += "Text ";
        answer += pick(labels) + "Error type" + pick(glue) + pick(numbers) + pick(after);
        answer += chance(80) ? "\n" : pick(breaks);
      }
      answer += pick(breaks);
    }
    if (chance(10)) answer += pick(extras);
    out.push_back(std::move(answer));
  }
  return out;
}

TEST(GreenParser, GeneratedAnswersMatchThePythonOracle) {
  if (!rrg::testing::file_exists(kPython)) GTEST_SKIP() << "no /usr/bin/python3";
  const auto answers = generated_answers(1000);
  // The generator must reach every branch that matters: scores, counts, errors.
  std::size_t with_errors = 0, with_matched = 0, with_significant = 0, refused = 0;
  for (const auto& answer : answers) {
    const auto parse = parse_green_output(answer);
    refused += parse.error.empty() ? 0 : 1;
    with_matched += parse.counts.matched > 0 ? 1 : 0;
    with_significant += parse.counts.significant_total() > 0 ? 1 : 0;
    with_errors += parse.score && *parse.score > 0 && *parse.score < 1 ? 1 : 0;
  }
  EXPECT_GT(refused, 5u);
  EXPECT_GT(with_matched, 30u);
  EXPECT_GT(with_significant, 60u);
  EXPECT_GT(with_errors, 50u);
  expect_same_as_oracle(answers);
}

TEST(GreenParser, CleanResponsesSteps) {
  EXPECT_EQ(clean_green_response("prompt <|assistant|> answer"), " answer");
  EXPECT_EQ(clean_green_response("[Explanation]:\nA\n[Explanation]:\nB"), "\nB");
  EXPECT_EQ(clean_green_response("[Explanation]:\n    <Explanation>\nX[Explanation]:\nB"),
            "\n    <Explanation>\nX");
  EXPECT_EQ(clean_green_response("a</s>b<unk>c<un</s>k>d"), "abcd");
  EXPECT_EQ(clean_green_response("no markers"), "no markers");
}

TEST(GreenParser, SectionFlagsAndTotals) {
  const auto parse = parse_green_answer(
      "[Clinically Significant Errors]:\n(a) x: 2. A; B.\n(f) y: 1. C.\n\n[Matched Findings]:\n"
      "3. D; E; F.");
  EXPECT_TRUE(parse.counts.has_significant);
  EXPECT_FALSE(parse.counts.has_insignificant);
  EXPECT_TRUE(parse.counts.has_matched);
  EXPECT_EQ(parse.counts.significant_total(), 3);
  EXPECT_EQ(parse.counts.insignificant_total(), 0);
  EXPECT_DOUBLE_EQ(*parse.score, 0.5);
}

TEST(GreenParser, DialectsKeysAndIds) {
  EXPECT_EQ(parse_green_dialect("green"), GreenDialect::kGreen);
  EXPECT_EQ(parse_green_dialect("radeval"), GreenDialect::kRadEval);
  EXPECT_THROW(parse_green_dialect("gpt"), InputError);
  EXPECT_EQ(green_parser_id(GreenDialect::kGreen), "green-1");
  EXPECT_EQ(green_parser_id(GreenDialect::kRadEval), "radeval-1");
  const auto& table = green_sub_categories();
  EXPECT_STREQ(table[0].key, "GREEN_a_false_finding");
  EXPECT_STREQ(table[5].text, "Omitting a comparison detailing a change from a prior study");
  for (std::size_t k = 0; k < table.size(); ++k) EXPECT_EQ(table[k].letter, 'a' + k);
}

}  // namespace
}  // namespace rrg::metrics::green
