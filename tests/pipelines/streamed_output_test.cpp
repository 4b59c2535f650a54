// The streamed writers produce exactly the bytes of the DOM-per-row code they replaced:
//   - annotate's JSONL: one nlohmann::ordered_json {"id", "labels", "error"?} per row, dump();
//   - evaluate's per_sample block: ids and clinical errors through nlohmann dump();
//   - the rest of evaluate's --json document: one ordered_json DOM dumped with indent 2.
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
#include "rrg/core/version.h"
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
    result.add_row(strings[i % strings.size()] + std::to_string(i),
                   strings[(i * 7) % strings.size()], row);
  }
  return result;
}

TEST(StreamedOutput, AnnotationJsonlEqualsOneDomPerRow) {
  const auto result = awkward_annotation();
  std::string expected;
  for (std::size_t i = 0; i < result.size(); ++i) {
    ordered_json line;
    line["id"] = result.id(i);
    line["labels"] = rrg::chexpert::label_row_to_json(result.label(i).labels);
    if (!result.label(i).error.empty()) line["error"] = result.label(i).error;
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

// The --json document around per_sample as the ordered_json code wrote it (dump(2)).
std::string dom_document(const rrg::pipelines::EvaluationResult& result,
                         const rrg::pipelines::EvaluationInputs& inputs) {
  ordered_json doc;
  ordered_json corpus = ordered_json::object();
  ordered_json signatures = ordered_json::object();
  ordered_json fields = ordered_json::object();
  for (const auto& m : result.metrics) {
    if (m.has_corpus)
      corpus[m.name] = std::isnan(m.corpus) ? ordered_json() : ordered_json(m.corpus);
    signatures[m.name] = m.signature.format();
    ordered_json f = ordered_json::object();
    f["family"] = m.family;
    for (const auto& [key, value] : m.signature.fields()) f[key] = value;
    f["version"] = rrg::version();
    fields[m.name] = f;
  }
  ordered_json timings = ordered_json::object();
  for (const auto& [stage, seconds] : result.timings_seconds) timings[stage] = seconds;
  doc["corpus"] = std::move(corpus);
  doc["per_sample"] = nullptr;
  doc["signatures"] = std::move(signatures);
  doc["signature_fields"] = std::move(fields);
  doc["n_samples"] = result.n_samples;
  doc["n_valid"] = result.n_valid;
  doc["timings_seconds"] = std::move(timings);
  ordered_json j;
  j["predictions"] = {{"path", inputs.predictions_path},
                      {"format", inputs.predictions_format},
                      {"records", inputs.predictions_records}};
  j["references"] = {{"path", inputs.references_path},
                     {"format", inputs.references_format},
                     {"records", inputs.references_records}};
  j["paired_by"] = inputs.paired_by;
  j["missing_policy"] = inputs.missing_policy;
  j["missing_predictions"] = inputs.missing_predictions;
  j["missing_references"] = inputs.missing_references;
  j["coco_clean"] = inputs.coco_clean;
  j["seed_clean"] = inputs.seed_clean;
  if (!inputs.command_line.empty()) j["command"] = inputs.command_line;
  doc["inputs"] = j;
  if (result.clinical) {
    doc["clinical"] = {{"labeler", result.clinical->labeler_identity},
                       {"n_distinct_texts", result.clinical->n_distinct_texts},
                       {"n_excluded", result.clinical->n_excluded}};
    if (!result.clinical->labeler_note.empty()) {
      doc["clinical"]["note"] = result.clinical->labeler_note;
    }
  }
  doc["rrg"] = {{"version", rrg::version()}, {"revision", rrg::git_revision()}};
  return doc.dump(2) + "\n";
}

// The document with its per_sample value replaced by null.
std::string without_per_sample(const std::string& text) {
  const std::string key = "\"per_sample\": ";
  const std::size_t start = text.find(key) + key.size();
  const std::size_t end = text.find("\n  },\n  \"signatures\"", start);
  if (text.compare(start, 2, "{}") == 0)
    return text.substr(0, start) + "null" + text.substr(start + 2);
  return text.substr(0, start) + "null" + text.substr(end + 4);
}

TEST(StreamedOutput, EvaluationDocumentEqualsTheDom) {
  const auto strings = awkward_strings();
  const double values[] = {0.25,
                           1.0 / 3.0,
                           0.0,
                           -0.0,
                           1.0,
                           100.0,
                           std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(),
                           1e-300,
                           1e300,
                           123456789012345680.0,
                           5e-324,
                           0.1 + 0.2};
  for (const bool clinical : {false, true}) {
    for (const std::size_t n_metrics : {std::size_t{0}, std::size_t{1}, std::size_t{40}}) {
      rrg::pipelines::EvaluationResult result;
      result.ids = {"a", strings[3]};
      result.n_samples = 2;
      result.n_valid = 1;
      for (std::size_t k = 0; k < n_metrics; ++k) {
        rrg::pipelines::MetricColumn column;
        column.name = strings[k % strings.size()] + "#" + std::to_string(k);
        column.family = strings[(k * 3) % strings.size()];
        column.has_corpus = k % 7 != 3;
        column.corpus = values[k % (sizeof values / sizeof values[0])];
        column.signature = rrg::metrics::Signature(strings[(k * 5) % strings.size()]);
        column.signature.set("tok", strings[(k * 11) % strings.size()]);
        column.signature.set("weird key " + strings[(k * 13) % strings.size()], "v");
        if (k % 2 == 0) column.signature.set("nrefs", "1");
        if (k % 3 == 0) column.signature.set("version", "old");
        if (k % 4 != 1) column.per_sample = {values[k % 5], values[(k + 1) % 13]};
        result.metrics.push_back(column);
      }
      for (std::size_t t = 0; t < 3 * n_metrics / 10 + 1; ++t) {
        result.timings_seconds.emplace_back(
            "stage:" + strings[t % strings.size()] + std::to_string(t),
            values[t % (sizeof values / sizeof values[0])]);
      }
      rrg::pipelines::EvaluationInputs inputs;
      inputs.predictions_path = strings[7];
      inputs.predictions_format = "jsonl";
      inputs.predictions_records = 3;
      inputs.references_path = strings[8];
      inputs.references_format = "csv";
      inputs.references_records = 12345678901ULL;
      inputs.paired_by = "id";
      inputs.missing_policy = "error";
      inputs.missing_predictions = 1;
      inputs.coco_clean = "none";
      inputs.seed_clean = n_metrics % 2 == 0;
      inputs.command_line = n_metrics == 1 ? "" : "rrg evaluate " + strings[9];
      if (clinical) {
        rrg::pipelines::ClinicalDetails details;
        details.labeler_identity = strings[10];
        details.errors = {"", "x"};
        details.n_distinct_texts = 4;
        details.n_excluded = 1;
        details.labeler_note = n_metrics == 40 ? strings[4] : "";
        result.clinical = details;
      }
      const std::string text = rrg::pipelines::evaluation_json(result, inputs);
      EXPECT_EQ(without_per_sample(text), dom_document(result, inputs))
          << clinical << " " << n_metrics;
      // Again (the signature members come from this thread's last document), then after one
      // signature field changed (they must not).
      EXPECT_EQ(rrg::pipelines::evaluation_json(result, inputs), text);
      if (!result.metrics.empty()) {
        result.metrics.back().signature.set("tok", "changed " + strings[2]);
        result.metrics.front().family += "!";
        EXPECT_EQ(without_per_sample(rrg::pipelines::evaluation_json(result, inputs)),
                  dom_document(result, inputs))
            << clinical << " " << n_metrics;
      }
    }
  }
}

}  // namespace
