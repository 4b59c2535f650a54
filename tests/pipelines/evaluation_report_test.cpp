// EvaluationResult -> report::ReportData -> HTML, through the calls rrg evaluate makes and the
// ones rrg compare will make for several systems with intervals and p-values.
#include "rrg/pipelines/evaluation_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "rrg/labelers/registry.h"
#include "rrg/pipelines/evaluate_files.h"
#include "support/test_support.h"

namespace {

using namespace rrg;
using nlohmann::json;

const std::string kExamples = rrg::testing::source_dir() + "/examples";

struct Scored {
  pipelines::EvaluationRun run;
  pipelines::ReportTexts texts;
};

Scored score(const std::string& predictions, labelers::Labeler* labeler) {
  pipelines::EvaluateFilesOptions files;
  files.predictions = predictions;
  files.references = kExamples + "/ref.jsonl";
  pipelines::EvaluateOptions scoring;
  scoring.labeler = labeler;
  Scored out;
  io::PairedReports paired = pipelines::read_paired_reports(files, out.run.inputs);
  out.texts = pipelines::copy_report_texts(paired);
  out.run.result = pipelines::evaluate(std::move(paired), scoring);
  return out;
}

json data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"rrg-data\">";
  const std::size_t begin = html.find(open) + open.size();
  return json::parse(html.substr(begin, html.find("</script>", begin) - begin));
}

TEST(EvaluationReport, CopiesTheTextsAndTheResult) {
  const auto labeler = labelers::make_labeler("rules", {});
  Scored s = score(kExamples + "/pred.jsonl", labeler.get());
  ASSERT_EQ(s.texts.predictions.size(), 24u);
  EXPECT_EQ(s.texts.predictions[0].rfind("Heart size is normal.", 0), 0u);
  const pipelines::EvaluationResult& result = s.run.result;
  const report::ReportData data = pipelines::evaluation_report_data(result, s.run.inputs, s.texts);
  EXPECT_EQ(data.ids, result.ids);
  EXPECT_EQ(data.references.size(), 24u);
  ASSERT_EQ(data.metrics.size(), result.metrics.size());
  ASSERT_EQ(data.systems.size(), 1u);
  const report::SystemReport& system = data.systems[0];
  for (std::size_t m = 0; m < result.metrics.size(); ++m) {
    const auto& column = result.metrics[m];
    EXPECT_EQ(data.metrics[m].name, column.name);
    EXPECT_EQ(data.metrics[m].signature, column.signature.format());
    EXPECT_EQ(system.per_sample[m], column.per_sample);
    if (column.has_corpus && !std::isnan(column.corpus)) {
      EXPECT_EQ(system.corpus[m].value, column.corpus) << column.name;
    }
    EXPECT_EQ(data.metrics[m].higher_is_better, column.name != "n_disagree");
  }
  const auto disagree = report::find_metric(data, "n_disagree");
  ASSERT_TRUE(disagree);
  EXPECT_EQ(data.metrics[*disagree].decimals, 0);
  const auto example = report::find_metric(data, "chexpert_example_f1_uones");
  ASSERT_TRUE(example);
  EXPECT_EQ(data.metrics[*example].label, "example f1 (U1)");
  ASSERT_TRUE(system.clinical);
  EXPECT_EQ(system.clinical->labels, result.clinical->predictions);
  EXPECT_EQ(data.reference_labels, result.clinical->references);
  for (std::size_t k = 0; k < chexpert::kNumObservations; ++k) {
    EXPECT_EQ(system.clinical->observations[k].tp, result.clinical->table.rows[k].counts.tp);
    EXPECT_EQ(system.clinical->observations[k].f1, result.clinical->table.rows[k].f1);
  }
  EXPECT_TRUE(system.errors.empty()) << "no recorded errors, none kept";
}

TEST(EvaluationReport, ASecondSystemWithIntervalsAndPValuesAsCompareWouldAddThem) {
  const auto labeler = labelers::make_labeler("rules", {});
  rrg::testing::TempDir dir;
  // System B: the references' own texts for the first half, so it scores higher there.
  std::string b;
  const std::string refs = rrg::testing::read_file(kExamples + "/ref.jsonl");
  const std::string preds = rrg::testing::read_file(kExamples + "/pred.jsonl");
  std::size_t line = 0;
  for (std::size_t at = 0, ref_at = 0; at < preds.size(); ++line) {
    const std::size_t end = preds.find('\n', at);
    const std::size_t ref_end = refs.find('\n', ref_at);
    b += line < 12 ? refs.substr(ref_at, ref_end - ref_at) : preds.substr(at, end - at);
    b += "\n";
    at = end + 1;
    ref_at = ref_end + 1;
  }
  rrg::testing::write_file(dir.file("b.jsonl"), b);
  Scored a = score(kExamples + "/pred.jsonl", labeler.get());
  Scored other = score(dir.file("b.jsonl"), labeler.get());

  report::ReportData data = pipelines::evaluation_report_data(a.run.result, a.run.inputs, a.texts);
  data.systems[0].name = "A";
  data.systems.push_back(pipelines::system_report(other.run.result, "B", dir.file("b.jsonl"),
                                                  other.texts.predictions,
                                                  other.texts.prediction_errors));
  const std::size_t bleu = *report::find_metric(data, "BLEU-4");
  const std::size_t f1 = *report::find_metric(data, "chexpert_table_f1_edema");
  data.systems[0].corpus[bleu].interval = report::Interval{0.05, 0.2};
  data.systems[1].corpus[bleu].interval = report::Interval{0.3, 0.6};
  data.systems[1].corpus[bleu].difference_interval = report::Interval{0.2, 0.45};
  data.systems[1].corpus[bleu].p_value = 0.0001;
  data.systems[1].corpus[f1].interval = report::Interval{0.5, 1.0};
  data.method_signatures = {{"paired approximate randomization", "ar:10000|seed:12345"},
                            {"bootstrap", "bootstrap:1000|ci:95|seed:12345"}};
  data.alpha = 0.05;

  const std::string html = report::html_report(data);
  EXPECT_GT(data.systems[1].corpus[bleu].value, data.systems[0].corpus[bleu].value);
  EXPECT_NE(html.find("A (baseline)"), std::string::npos);
  EXPECT_NE(html.find("0.0001*"), std::string::npos);
  EXPECT_NE(html.find("bootstrap:1000|ci:95|seed:12345"), std::string::npos);
  const json j = data_block(html);
  EXPECT_EQ(j["systems"].size(), 2u);
  EXPECT_EQ(j["rows"]["systems"][1]["prediction"][0], j["rows"]["reference"][0]);
  EXPECT_EQ(j["columns"].size(), 40u);  // 20 per-sample metrics x 2 systems
  // Keep the page for a person to look at (build/test-screenshots/ holds the browser tests').
  const std::string out = std::string(RRG_BINARY_DIR) + "/test-screenshots";
  std::filesystem::create_directories(out);
  rrg::testing::write_file(out + "/two_systems_report.html", html);
}

}  // namespace
