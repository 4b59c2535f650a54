// The streamed writers produce exactly the bytes of the DOM-per-row code they replaced:
//   - annotate's JSONL: one nlohmann::ordered_json {"id", "labels", "error"?} per row, dump();
//   - evaluate's per_sample block: ids and clinical errors through nlohmann dump().
// Ids, labels and errors are drawn from texts with quotes, backslashes, every control character,
// DEL, Unicode whitespace, emoji and combining marks.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "rrg/chexpert/label_io.h"
#include "rrg/pipelines/annotate.h"
#include "rrg/pipelines/evaluation_output.h"
#include "support/radiology_reports.h"

namespace {

using nlohmann::ordered_json;

// Strings with every kind of character a JSON writer must get right.
std::vector<std::string> awkward_strings() {
  std::vector<std::string> out = {"", "plain", "quote\"back\\slash/", "\x7f", "tab\there\n"};
  for (int c = 0; c < 0x20; ++c) out.push_back("c" + std::string(1, static_cast<char>(c)) + "c");
  for (const auto& text : rrg::testing::tokenizer_edge_texts()) out.push_back(text);
  for (std::size_t i = 0; i < 10; ++i) out.push_back(rrg::testing::radiology_reports()[i]);
  return out;
}

rrg::pipelines::AnnotationResult awkward_annotation() {
  const auto strings = awkward_strings();
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> label(0, 3);
  rrg::pipelines::AnnotationResult result;
  for (std::size_t i = 0; i < 400; ++i) {
    result.ids.push_back(strings[i % strings.size()] + std::to_string(i));
    result.texts.push_back(strings[(i * 7) % strings.size()]);
    rrg::labelers::LabelResult row;
    for (auto& value : row.labels) {
      const int v = label(rng);
      value = v == 0   ? rrg::chexpert::Label::kPositive
              : v == 1 ? rrg::chexpert::Label::kNegative
              : v == 2 ? rrg::chexpert::Label::kUncertain
                       : rrg::chexpert::Label::kBlank;
    }
    if (i % 5 == 0) {
      row.error = "failed: " + strings[(i * 3) % strings.size()];
      row.labels = rrg::chexpert::blank_row();
    }
    result.labels.push_back(row);
  }
  return result;
}

TEST(StreamedOutput, AnnotationJsonlEqualsOneDomPerRow) {
  const auto result = awkward_annotation();
  std::string expected;
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    ordered_json line;
    line["id"] = result.ids[i];
    line["labels"] = rrg::chexpert::label_row_to_json(result.labels[i].labels);
    if (!result.labels[i].error.empty()) line["error"] = result.labels[i].error;
    expected += line.dump() + "\n";
  }
  EXPECT_EQ(rrg::pipelines::annotation_jsonl(result), expected);
}

TEST(StreamedOutput, EvaluationPerSampleEqualsDumpedIds) {
  const auto strings = awkward_strings();
  rrg::pipelines::EvaluationResult result;
  const double values[] = {0.25, 1.0 / 3.0, 0.0, std::numeric_limits<double>::quiet_NaN(), 1e-300};
  for (std::size_t i = 0; i < strings.size(); ++i) {
    result.ids.push_back(strings[i] + "#" + std::to_string(i));
  }
  result.n_samples = result.ids.size();
  for (const char* name : {"BLEU-4", "we\"ird\tname"}) {
    rrg::pipelines::MetricColumn column;
    column.name = name;
    column.family = "seed";
    column.signature = rrg::metrics::Signature(name);
    for (std::size_t i = 0; i < result.ids.size(); ++i) column.per_sample.push_back(values[i % 5]);
    result.metrics.push_back(column);
  }
  rrg::pipelines::ClinicalDetails clinical;
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    clinical.errors.push_back(i % 3 == 0 ? "prediction: " + strings[(i * 5) % strings.size()] : "");
  }
  result.clinical = clinical;

  // The per_sample block as the DOM-per-value code wrote it.
  std::string expected = "\"per_sample\": {";
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    expected += i == 0 ? "\n    " : ",\n    ";
    expected += ordered_json(result.ids[i]).dump() + ": {";
    for (std::size_t c = 0; c < result.metrics.size(); ++c) {
      if (c > 0) expected += ", ";
      expected += ordered_json(result.metrics[c].name).dump() + ": ";
      const double v = result.metrics[c].per_sample[i];
      char number[32];
      expected += std::isnan(v) ? std::string("null")
                                : std::string(number, std::to_chars(number, number + 32, v).ptr);
    }
    if (!clinical.errors[i].empty()) {
      expected += ", \"clinical_error\": " + ordered_json(clinical.errors[i]).dump();
    }
    expected += "}";
  }
  expected += "\n  }";
  const std::string text = rrg::pipelines::evaluation_json(result, {});
  EXPECT_NE(text.find(expected), std::string::npos) << text.substr(0, 2000);
  // And the whole document is valid JSON with the same ids.
  const auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc.at("per_sample").size(), result.ids.size());
}

}  // namespace
