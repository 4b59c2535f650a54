// Tests of GREEN's prompt (green_prompt.h) and summary (green_summary.h): the compiled-in texts
// equal the data files byte for byte, make_prompt's normalisation, the templates, and NumPy's
// mean/std with GREEN's exclusion rules.
#include "rrg/metrics/green/green_prompt.h"

#include <gtest/gtest.h>

#include <cmath>

#include "rrg/io/sha256.h"
#include "rrg/metrics/green/green_summary.h"
#include "support/test_support.h"

namespace rrg::metrics::green {
namespace {

std::string data_file(const std::string& name) {
  return rrg::testing::read_file(rrg::testing::source_dir() + "/data/prompts/" + name);
}

TEST(GreenPrompt, CompiledTextsEqualTheDataFiles) {
  EXPECT_EQ(std::string(green_prompt_template()), data_file("green.v1.txt"));
  EXPECT_EQ(std::string(green_completion_template()), data_file("green.completion_template.txt"));
  EXPECT_EQ(std::string(green_chat_template_jinja()), data_file("green.chat_template.jinja"));
  // The SHA-256 recorded in data/prompts/green.v1.origin.md (that of GREEN's f-string).
  EXPECT_EQ(io::sha256_hex(green_prompt_template()),
            "85a3b95554c1cf431bfa05db87d227116525f0586ed9c5e56232d44a5b2555ef");
  EXPECT_EQ(green_prompt_id(), "green-85a3b955");
}

TEST(GreenPrompt, MakePromptFillsReferenceThenCandidate) {
  const std::string prompt =
      make_green_prompt("Mild  cardiomegaly.\n\nNo effusion.", "\tHeart size normal. ");
  EXPECT_EQ(prompt.find("{text1}"), std::string::npos);
  EXPECT_EQ(prompt.find("{text2}"), std::string::npos);
  EXPECT_NE(prompt.find("    2. Reference Report:\n    Mild cardiomegaly. No effusion.\n\n"
                        "    3. Candidate Report:\n    Heart size normal.\n\n"
                        "    4. Reporting Your Assessment:"),
            std::string::npos)
      << prompt;
  EXPECT_EQ(prompt.rfind("Objective: Evaluate the accuracy of a candidate radiology report", 0),
            0u);
  EXPECT_EQ(prompt.substr(prompt.size() - 4), "```\n");
}

TEST(GreenPrompt, ReportsAreCutTo300WordsWithPythonWhitespace) {
  std::string long_report;
  for (int i = 0; i < 310; ++i) long_report += "w" + std::to_string(i) + (i % 7 ? " " : "\u3000");
  const std::string normalized = green_normalize_report(long_report);
  EXPECT_EQ(normalized.rfind("w0 w1 ", 0), 0u);
  EXPECT_EQ(normalized.substr(normalized.size() - 5), " w299");
  EXPECT_EQ(green_normalize_report(" a\u00a0b\u2028c \x1f d "), "a b c d");
  EXPECT_EQ(green_normalize_report(""), "");
}

TEST(GreenPrompt, CompletionTemplateWrapsThePromptOnce) {
  EXPECT_EQ(apply_completion_template(green_completion_template(), "P {prompt} Q"),
            "<|user|>\nP {prompt} Q</s>\n<|assistant|>\n</s>\n<|assistant|>\n</s>");
  EXPECT_EQ(apply_completion_template("no field", "P"), "no field");
}

GreenSample scored(double value, std::int64_t matched = 1) {
  GreenSample sample;
  sample.green = value;
  sample.counts.matched = matched;
  return sample;
}

TEST(GreenSummary, NumpyMeanAndPopulationStd) {
  // GREEN's own test expectations (RadEval tests/test_greenscore.py): scores 0, 1/6, 1/3, 1/2,
  // 1/4 have mean 0.25 and np.std 0.16666666666666669.
  std::vector<GreenSample> samples = {scored(0.0, 0), scored(1.0 / 6), scored(2.0 / 6),
                                      scored(1.0 / 2), scored(1.0 / 4)};
  samples[1].counts.significant = {2, 1, 2, 0, 0, 0};
  samples[1].counts.insignificant = {0, 1, 0, 0, 0, 3};
  const GreenSummary summary = summarize_green(samples);
  EXPECT_EQ(summary.mean, 0.25);
  EXPECT_EQ(summary.std, 0.16666666666666669);
  EXPECT_EQ(summary.n_scored, 5u);
  EXPECT_EQ(summary.n_excluded, 0u);
  EXPECT_EQ(summary.significant_mean[0], 0.4);
  EXPECT_EQ(summary.significant_mean[2], 0.4);
  EXPECT_EQ(summary.matched_mean, 0.8);
  EXPECT_EQ(summary.insignificant_mean, 0.8);
  EXPECT_EQ(summary.value("GREEN"), 0.25);
  EXPECT_EQ(summary.value("GREEN_b_missing_finding"), 0.2);
  EXPECT_EQ(summary.value("GREEN_matched"), 0.8);
}

TEST(GreenSummary, ExcludedSamplesStayOutOfEveryMean) {
  GreenSample failed;
  failed.error = "request failed: HTTP 500";
  failed.request_failed = true;
  const GreenSummary summary = summarize_green({scored(1.0, 3), failed, scored(0.5, 1)});
  EXPECT_EQ(summary.n_samples, 3u);
  EXPECT_EQ(summary.n_scored, 2u);
  EXPECT_EQ(summary.n_excluded, 1u);
  EXPECT_EQ(summary.mean, 0.75);
  EXPECT_EQ(summary.std, 0.25);
  EXPECT_EQ(summary.matched_mean, 2.0);
  EXPECT_FALSE(failed.value("GREEN").has_value());
  const auto json = green_sample_json(failed);
  EXPECT_TRUE(json["GREEN"].is_null());
  EXPECT_EQ(json["error"], "request failed: HTTP 500");
  // Nothing scored: NaN, as np.mean([]) (never a silent 0).
  const GreenSummary none = summarize_green({failed});
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.std));
  EXPECT_EQ(none.n_excluded, 1u);
}

TEST(GreenSummary, MetricKeys) {
  const std::vector<std::string> expected = {"GREEN",
                                             "GREEN_a_false_finding",
                                             "GREEN_b_missing_finding",
                                             "GREEN_c_wrong_location",
                                             "GREEN_d_wrong_severity",
                                             "GREEN_e_false_comparison",
                                             "GREEN_f_missing_comparison",
                                             "GREEN_matched",
                                             "GREEN_insignificant"};
  EXPECT_EQ(green_metric_keys(), expected);
}

}  // namespace
}  // namespace rrg::metrics::green
