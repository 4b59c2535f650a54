// CompareResult -> report::ReportData (rrg compare --html): compare() keeps the report's inputs
// only when asked; the report puts the baseline first and carries each cell's value, intervals
// and p-value by metric name, the per-sample values and labels `rrg evaluate` computes for each
// system alone; the table's columns default to the headline per-sample metrics.
#include "rrg/pipelines/compare_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "rrg/core/errors.h"
#include "rrg/labelers/registry.h"
#include "rrg/pipelines/evaluate_files.h"
#include "support/test_support.h"

namespace {

using namespace rrg;

const std::string kExamples = rrg::testing::source_dir() + "/examples";

pipelines::CompareOptions options(labelers::Labeler* labeler, bool keep) {
  pipelines::CompareOptions o;
  o.references = kExamples + "/ref.jsonl";
  o.systems = {{"model", kExamples + "/pred.jsonl", io::ReportFormat::kAuto},
               {"normal", kExamples + "/pred_normal.jsonl", io::ReportFormat::kAuto}};
  o.baseline = "normal";
  o.scoring.labeler = labeler;
  o.ar_trials = 100;
  o.bootstrap = 50;
  o.threads = 1;
  o.keep_report_inputs = keep;
  return o;
}

pipelines::EvaluationResult evaluate_alone(const std::string& predictions,
                                           labelers::Labeler* labeler) {
  pipelines::EvaluateFilesOptions files;
  files.predictions = predictions;
  files.references = kExamples + "/ref.jsonl";
  pipelines::EvaluationInputs inputs;
  pipelines::EvaluateOptions scoring;
  scoring.labeler = labeler;
  return pipelines::evaluate(pipelines::read_paired_reports(files, inputs), scoring);
}

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

TEST(CompareReport, NothingIsKeptUnlessAsked) {
  const auto labeler = labelers::make_labeler("rules", {});
  const pipelines::CompareResult result = pipelines::compare(options(labeler.get(), false));
  EXPECT_FALSE(result.report_inputs.has_value());
  EXPECT_THROW(pipelines::compare_report_data(result, 0.05), std::invalid_argument);
}

TEST(CompareReport, BaselineFirstWithTheComparisonsNumbersAndEachSystemsSamples) {
  const auto labeler = labelers::make_labeler("rules", {});
  const pipelines::CompareResult result = pipelines::compare(options(labeler.get(), true));
  ASSERT_TRUE(result.report_inputs.has_value());
  const report::ReportData data = pipelines::compare_report_data(result, 0.01);
  EXPECT_EQ(data.title, "rrg compare: model vs normal");
  ASSERT_EQ(data.systems.size(), 2u);
  EXPECT_EQ(data.systems[0].name, "normal");
  EXPECT_EQ(data.systems[1].name, "model");
  EXPECT_EQ(data.systems[1].source, kExamples + "/pred.jsonl (jsonl, 24 records)");
  ASSERT_EQ(data.ids.size(), 24u);
  EXPECT_EQ(data.references.size(), 24u);
  EXPECT_EQ(data.reference_labels.size(), 24u);
  EXPECT_EQ(data.alpha, 0.01);
  ASSERT_EQ(data.method_signatures.size(), 2u);
  EXPECT_EQ(data.method_signatures[0].second, result.ar_signature);
  EXPECT_EQ(data.method_signatures[1].second, result.bootstrap_signature);
  EXPECT_NO_THROW(report::check_report_data(data));

  // Every compared cell, found by name, in the report's system order (baseline = input 1).
  std::size_t with_p = 0;
  for (std::size_t c = 0; c < result.metrics.size(); ++c) {
    const auto m = report::find_metric(data, result.metrics[c].name);
    ASSERT_TRUE(m.has_value()) << result.metrics[c].name;
    for (const auto& [shown, input] : {std::pair<std::size_t, std::size_t>{0, 1}, {1, 0}}) {
      const pipelines::CompareCell& cell = result.cells[c][input];
      const report::Estimate& e = data.systems[shown].corpus[*m];
      const std::string where = result.metrics[c].name + " of " + result.systems[input];
      EXPECT_TRUE(same(e.value, cell.value)) << where;
      EXPECT_EQ(e.p_value, cell.p_value) << where;
      ASSERT_EQ(e.interval.has_value(), cell.ci.has_value()) << where;
      if (cell.ci) {
        EXPECT_EQ(e.interval->low, cell.ci->low) << where;
        EXPECT_EQ(e.interval->high, cell.ci->high) << where;
      }
      ASSERT_EQ(e.difference_interval.has_value(), cell.diff_ci.has_value()) << where;
      if (cell.diff_ci) {
        EXPECT_EQ(e.difference_interval->low, cell.diff_ci->low) << where;
      }
      with_p += e.p_value ? 1 : 0;
    }
    EXPECT_FALSE(data.systems[0].corpus[*m].p_value.has_value()) << "the baseline is not tested";
  }
  EXPECT_GT(with_p, 20u);

  // Per-sample values, texts and labels: what `rrg evaluate` gives the system alone.
  const pipelines::EvaluationResult alone =
      evaluate_alone(kExamples + "/pred.jsonl", labeler.get());
  const report::SystemReport& model = data.systems[1];
  ASSERT_EQ(data.metrics.size(), alone.metrics.size());
  for (std::size_t m = 0; m < alone.metrics.size(); ++m) {
    EXPECT_EQ(data.metrics[m].name, alone.metrics[m].name);
    ASSERT_EQ(model.per_sample[m].size(), alone.metrics[m].per_sample.size()) << m;
    for (std::size_t i = 0; i < model.per_sample[m].size(); ++i) {
      EXPECT_TRUE(same(model.per_sample[m][i], alone.metrics[m].per_sample[i]))
          << alone.metrics[m].name << " sample " << i;
    }
    if (!alone.metrics[m].has_corpus) {
      EXPECT_TRUE(std::isnan(model.corpus[m].value)) << "per-sample only: no corpus value";
    }
  }
  ASSERT_TRUE(model.clinical.has_value());
  EXPECT_EQ(model.clinical->labels, alone.clinical->predictions);
  EXPECT_EQ(data.reference_labels, alone.clinical->references);
  EXPECT_EQ(model.predictions[0].rfind("Heart size is normal.", 0), 0u);
  EXPECT_EQ(data.systems[0].predictions[0], data.systems[0].predictions[5]) << "always normal";

  // The table's columns.
  EXPECT_EQ(pipelines::compare_table_metrics(data, {}),
            (std::vector<std::string>{"BLEU-4", "ROUGE-L", "METEOR", "CIDEr",
                                      "chexpert_example_f1_uzeros", "n_disagree"}));
  EXPECT_EQ(pipelines::compare_table_metrics(data, {"all"}).size(), 20u);
  EXPECT_EQ(pipelines::compare_table_metrics(data, {"METEOR"}), std::vector<std::string>{"METEOR"});
  EXPECT_THROW(pipelines::compare_table_metrics(data, {"chexpert_micro_f1_14_uzeros"}), InputError)
      << "a corpus-only metric has no per-sample column";
}

}  // namespace
