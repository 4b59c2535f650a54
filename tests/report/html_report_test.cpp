// The HTML report from ReportData: sections, escaping of every user text (in markup, attributes,
// CSS and the JSON data block), the data the script reads, several systems with intervals and
// p-values, and the worst-samples selection.
#include "rrg/report/html_report.h"

#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "rrg/report/report_assets.h"
#include "rrg/report/report_data.h"
#include "support/test_support.h"

namespace {

using namespace rrg::report;
using chexpert_label = rrg::chexpert::Label;
using nlohmann::json;

const std::string kAttack =
    "</script><script>window.pwned=1</script><!-- <img src=x onerror=alert(1)>";

chexpert_label L(char c) {
  switch (c) {
    case '1':
      return chexpert_label::kPositive;
    case '0':
      return chexpert_label::kNegative;
    case 'u':
      return chexpert_label::kUncertain;
  }
  return chexpert_label::kBlank;
}

rrg::chexpert::LabelRow labels(const std::string& codes) {
  rrg::chexpert::LabelRow row;
  for (std::size_t k = 0; k < row.size(); ++k) row[k] = L(codes[k]);
  return row;
}

Estimate estimate(double value, std::optional<Interval> interval = std::nullopt,
                  std::optional<Interval> difference = std::nullopt,
                  std::optional<double> p_value = std::nullopt) {
  Estimate e;
  e.value = value;
  e.interval = interval;
  e.difference_interval = difference;
  e.p_value = p_value;
  return e;
}

SystemReport make_system(const std::string& name, const std::vector<double>& bleu,
                         std::vector<std::string> predictions) {
  SystemReport s;
  s.name = name;
  s.source = name + ".jsonl";
  s.corpus = {estimate(0.25), Estimate()};
  s.per_sample = {bleu, {13, 14, 12, 14}};
  s.predictions = std::move(predictions);
  ClinicalView view;
  view.labeler = "rules@test";
  view.observations[4] = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, true};
  view.labels = {labels("....1........."), labels(".............1"), labels("....0........."),
                 labels(".1............")};
  view.errors = {"", "", "", ""};
  s.clinical = view;
  return s;
}

ReportData make_data() {
  ReportData d;
  d.title = "test report " + kAttack;
  d.run_info = {{"predictions", "pred.jsonl"}, {"note " + kAttack, kAttack}};
  d.command_line = "rrg evaluate --pred '" + kAttack + "'";
  d.ids = {"a1", "a2 " + kAttack, "a3", "a4"};
  d.references = {"Mild pulmonary edema.", "No acute findings. " + kAttack, "No edema.",
                  "Cardiomegaly."};
  d.reference_labels = {labels("....1........."), labels(".............1"),
                        labels("....1........."), labels(".1............")};
  d.metrics = {{"BLEU-4", "", "seed", "BLEU-4|conv:test", true, true, true, 4},
               {"n_agree " + kAttack, "", "clinical", "n_agree|sig", false, false, false, 0}};
  d.systems.push_back(make_system("predictions", {0.5, 0.0, 0.25, std::nan("")},
                                  {"Mild edema.", "Normal. " + kAttack, "Edema.", ""}));
  return d;
}

std::string data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"rrg-data\">";
  const std::size_t begin = html.find(open);
  EXPECT_NE(begin, std::string::npos);
  const std::size_t end = html.find("</script>", begin);
  return html.substr(begin + open.size(), end - begin - open.size());
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(HtmlReport, HasEverySectionAndIsDeterministic) {
  const std::string html = html_report(make_data());
  for (const char* id : {"run", "summary", "clinical", "distributions", "worst", "samples"}) {
    EXPECT_NE(html.find("<section id=\"" + std::string(id) + "\""), std::string::npos) << id;
  }
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("BLEU-4|conv:test"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html, html_report(make_data()));
  std::string pieces;
  std::size_t calls = 0;
  write_html_report(make_data(), {}, [&](std::string_view part) {
    pieces += part;
    ++calls;
  });
  EXPECT_EQ(pieces, html);
  EXPECT_GT(calls, 1u);
}

TEST(HtmlReport, UserTextNeverBecomesMarkupOrScript) {
  const std::string html = html_report(make_data());
  // Exactly two script elements: the JSON data block and the report's own script.
  EXPECT_EQ(count(html, "<script"), 2u);
  EXPECT_EQ(count(html, "</script>"), 2u);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<script>window.pwned"), std::string::npos);
  EXPECT_EQ(html.find("window.pwned=1</script>"), std::string::npos);
  EXPECT_EQ(count(html, "<!--"), 0u);
  EXPECT_NE(html.find("&lt;/script&gt;&lt;script&gt;window.pwned=1"), std::string::npos)
      << "escaped in the markup (title, run info, command)";
  // The data block is valid JSON with the texts intact.
  const json data = json::parse(data_block(html));
  EXPECT_EQ(data["rows"]["id"][1], "a2 " + kAttack);
  EXPECT_EQ(data["rows"]["systems"][0]["prediction"][1], "Normal. " + kAttack);
  EXPECT_EQ(data["rows"]["reference"][1], "No acute findings. " + kAttack);
  EXPECT_EQ(data["command_line"], "rrg evaluate --pred '" + kAttack + "'");
  EXPECT_EQ(data["metrics"][1]["name"], "n_agree " + kAttack);
}

TEST(HtmlReport, RepeatedTextsAreStoredOnceAndReferredToByIndex) {
  ReportData d = make_data();
  // A second system that copies the reference twice, answers with the first system's text once
  // and repeats a short text that stays inline.
  d.systems.push_back(make_system(
      "copy", {1.0, 1.0, 0.1, 0.2},
      {"Mild pulmonary edema.", "No acute findings. " + kAttack, "Mild edema.", "Edema."}));
  const std::string html = html_report(d);
  EXPECT_EQ(html.find("<script>window.pwned"), std::string::npos);
  const json data = json::parse(data_block(html));
  const json& shared = data["shared_texts"];
  ASSERT_EQ(shared, json({"Mild pulmonary edema.", "No acute findings. " + kAttack}))
      << "in order of first occurrence; 'Mild edema.' and 'Edema.' are short (inline)";
  const json& rows = data["rows"];
  EXPECT_EQ(rows["reference"], json({0, 1, "No edema.", "Cardiomegaly."}));
  EXPECT_EQ(rows["systems"][0]["prediction"],
            json({"Mild edema.", "Normal. " + kAttack, "Edema.", ""}));
  EXPECT_EQ(rows["systems"][1]["prediction"], json({0, 1, "Mild edema.", "Edema."}));
}

TEST(HtmlReport, TheDataBlockCarriesValuesAndLabels) {
  const json data = json::parse(data_block(html_report(make_data())));
  EXPECT_EQ(data["n_samples"], 4);
  EXPECT_EQ(data["observations"].size(), 14u);
  EXPECT_EQ(data["rows"]["index"], (json{0, 1, 2, 3}));
  ASSERT_EQ(data["columns"].size(), 2u);
  EXPECT_EQ(data["columns"][0]["values"], (json{0.5, 0, 0.25, nullptr}));
  EXPECT_EQ(data["columns"][1]["values"], (json{13, 14, 12, 14}));
  EXPECT_EQ(data["rows"]["reference_labels"][0], "....1.........");
  EXPECT_EQ(data["rows"]["systems"][0]["labels"][2], "....0.........");
  EXPECT_TRUE(data["rows"]["systems"][0]["error"].is_null());
  // Worst lists: BLEU-4 lowest first (NaN left out); the second metric is better lower, so
  // highest first.
  ASSERT_EQ(data["worst"].size(), 2u);
  EXPECT_EQ(data["worst"][0]["rows"], (json{1, 2, 0}));
  EXPECT_EQ(data["worst"][0]["values"], (json{0, 0.25, 0.5}));
  EXPECT_EQ(data["worst"][1]["rows"], (json{1, 3, 0, 2}));
}

TEST(HtmlReport, ScriptIsAllowedByItsHashAndNothingElseIs) {
  const std::string html = html_report(make_data());
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  const std::string marker = "script-src 'sha256-";
  const std::size_t at = html.find(marker);
  ASSERT_NE(at, std::string::npos);
  const std::string hash = html.substr(at + marker.size(), 44);
  // The embedded script, byte for byte, hashes to the policy's value (Python as the oracle).
  const std::string script = std::string("<script>") + kReportJs + "</script>";
  EXPECT_NE(html.find(script), std::string::npos);
  const auto r = rrg::testing::run_command(
      {"/usr/bin/python3", "-c",
       "import base64,hashlib,sys;"
       "print(base64.b64encode(hashlib.sha256(sys.stdin.buffer.read()).digest()).decode())"},
      kReportJs);
  if (r.exit_code == 127) GTEST_SKIP() << "no /usr/bin/python3";
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(hash + "\n", r.out);
}

TEST(HtmlReport, NoExternalReferences) {
  const std::string html = html_report(make_data());
  // The only URL is the SVG namespace name, which is never fetched.
  std::string rest = html;
  std::size_t n = 0;
  for (std::size_t at = rest.find("://"); at != std::string::npos; at = rest.find("://", at + 1)) {
    EXPECT_EQ(rest.compare(at - 4, 26, "http://www.w3.org/2000/svg"), 0) << rest.substr(at - 8, 60);
    ++n;
  }
  EXPECT_GT(n, 0u);
  EXPECT_EQ(html.find("src=\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
}

TEST(HtmlReport, SeveralSystemsWithIntervalsAndPValues) {
  ReportData d = make_data();
  d.systems.push_back(make_system("model <B>", {0.75, 0.5, 0.5, 0.1},
                                  {"Edema.", "Normal.", "Mild edema.", "Big heart."}));
  d.systems[1].corpus[0] = estimate(0.45, Interval{0.4, 0.5}, Interval{0.1, 0.3}, 0.012);
  d.systems[0].corpus[0].interval = Interval{0.2, 0.3};
  d.metrics.push_back(
      {"chexpert_table_f1_edema", "", "clinical", "F1|obs:edema", true, false, true, 4});
  for (auto& s : d.systems) {
    s.corpus.push_back(estimate(0.5, Interval{0.25, 0.75}));
    s.per_sample.emplace_back();
  }
  d.method_signatures = {{"paired approximate randomization", "ar:1000|seed:1|pvalue:radeval"}};
  d.alpha = 0.05;
  const std::string html = html_report(d);
  EXPECT_NE(html.find("model &lt;B&gt;"), std::string::npos);
  EXPECT_EQ(html.find("model <B>"), std::string::npos);
  EXPECT_NE(html.find("predictions (baseline)"), std::string::npos);
  EXPECT_NE(html.find(">CI</th>"), std::string::npos);
  EXPECT_NE(html.find(">&Delta; CI</th>"), std::string::npos);
  EXPECT_NE(html.find("0.0120*"), std::string::npos) << "p below alpha is marked";
  EXPECT_NE(html.find("[0.4000, 0.5000]"), std::string::npos);
  EXPECT_NE(html.find("[0.1000, 0.3000]"), std::string::npos);
  EXPECT_NE(html.find("ar:1000|seed:1|pvalue:radeval"), std::string::npos);
  // F1 bars per system, with the Edema whiskers from chexpert_table_f1_edema's intervals.
  const std::size_t f1 = html.find("id=\"chart-f1\"");
  const std::string chart = html.substr(f1, html.find("</svg>", f1) - f1);
  EXPECT_EQ(count(chart, "class=\"bar\""), 28u);
  EXPECT_EQ(count(chart, "class=\"interval\""), 2u);
  // The CSS headings of the text columns name the systems, escaped for CSS.
  EXPECT_NE(html.find("content:\"model \\00003cB\\00003e\""), std::string::npos);
  const json data = json::parse(data_block(html));
  EXPECT_EQ(data["systems"][1]["name"], "model <B>");
  EXPECT_EQ(data["columns"].size(), 4u);  // 2 metrics x 2 systems
  EXPECT_EQ(data["worst"].size(), 4u);
}

TEST(HtmlReport, TableRowsAreCappedButWorstSamplesAreCarried) {
  ReportData d = make_data();
  HtmlReportOptions options;
  options.max_table_rows = 1;
  options.worst_n = 1;
  const std::string html = html_report(d, options);
  EXPECT_NE(html.find("The table holds the first 1 of 4 samples"), std::string::npos);
  const json data = json::parse(data_block(html));
  EXPECT_EQ(data["n_table_rows"], 1);
  // Row 0 for the table; sample 1 is the worst of both lists.
  EXPECT_EQ(data["rows"]["index"], (json{0, 1}));
  EXPECT_EQ(data["worst"][0]["rows"], (json{1}));
}

TEST(HtmlReport, TableMetricsNarrowTheColumns) {
  HtmlReportOptions options;
  options.table_metrics = {"BLEU-4"};
  const json data = json::parse(data_block(html_report(make_data(), options)));
  ASSERT_EQ(data["columns"].size(), 1u);
  EXPECT_EQ(data["columns"][0]["metric"], 0);
}

TEST(HtmlReport, WithoutLabelsOrTextsTheClinicalPartsAreLeftOut) {
  ReportData d = make_data();
  d.systems[0].clinical.reset();
  d.reference_labels.clear();
  d.references.clear();
  d.systems[0].predictions.clear();
  const std::string html = html_report(d);
  EXPECT_EQ(html.find("<section id=\"clinical\""), std::string::npos);
  const json data = json::parse(data_block(html));
  EXPECT_TRUE(data["rows"]["reference"].is_null());
  EXPECT_TRUE(data["rows"]["systems"][0]["labels"].is_null());
}

TEST(HtmlReport, InconsistentDataIsRefused) {
  ReportData d = make_data();
  d.systems[0].per_sample[0].pop_back();
  EXPECT_THROW(html_report(d), std::invalid_argument);
  d = make_data();
  d.references.pop_back();
  EXPECT_THROW(html_report(d), std::invalid_argument);
  d = make_data();
  d.systems.clear();
  EXPECT_THROW(html_report(d), std::invalid_argument);
  d = make_data();
  d.systems[0].corpus.pop_back();
  EXPECT_THROW(html_report(d), std::invalid_argument);
}

TEST(WorstSamples, LowestFirstNaNLeftOutTiesInOrder) {
  const std::vector<double> v{0.5, std::nan(""), 0.1, 0.1, 0.9};
  EXPECT_EQ(worst_samples(v, true, 3), (std::vector<std::size_t>{2, 3, 0}));
  EXPECT_EQ(worst_samples(v, false, 2), (std::vector<std::size_t>{4, 0}));
  EXPECT_EQ(worst_samples(v, true, 10).size(), 4u);
  EXPECT_TRUE(worst_samples(v, true, 0).empty());
}

}  // namespace
