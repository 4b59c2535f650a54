// `rrg compare --html`: the real binary writes one self-contained report of every system, the
// baseline first, whose summary shows exactly the values, bootstrap intervals and p-values of
// `rrg compare --json` (same run settings), per-observation F1 per system, histograms and worst
// lists per system, the texts of every system side by side; bad paths and flags are refused
// before anything is written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::testing::file_exists;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

constexpr std::size_t kIds = 40;

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

json data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"rrg-data\">";
  const std::size_t begin = html.find(open);
  if (begin == std::string::npos) return nullptr;
  const std::size_t end = html.find("</script>", begin);
  return json::parse(html.substr(begin + open.size(), end - begin - open.size()));
}

// A text of the data block: a string, or an index into "shared_texts" (texts that occur more
// than once are stored once).
json text_of(const json& data, const json& value) {
  return value.is_number() ? data["shared_texts"][value.get<std::size_t>()] : value;
}

// The first summary-table row of `metric`: from its heading cell to the end of the row.
std::string summary_row(const std::string& html, const std::string& metric) {
  const std::string start = "<tr><th scope=\"row\">" + metric + "</th>";
  const std::size_t begin = html.find(start, html.find("<section id=\"summary\""));
  if (begin == std::string::npos) return "";
  return html.substr(begin, html.find("</tr>", begin) - begin);
}

std::string fixed4(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

// Three systems of texts written for the tests: a baseline, one that drops half of some
// reports, one that copies the reference for every third sample.
class CliCompareHtml : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& reports = rrg::testing::radiology_reports();
    std::vector<std::string> refs, base, shorter, copy;
    for (std::size_t i = 0; i < kIds; ++i) {
      const std::string reference = reports[(i * 7 + 3) % reports.size()];
      const std::string text = reports[i % reports.size()];
      refs.push_back(reference);
      base.push_back(text);
      shorter.push_back(i % 2 == 0 ? text.substr(0, text.find(' ', text.size() / 2)) : text);
      copy.push_back(i % 3 == 0 ? reference : text);
    }
    write_file(dir_.file("ref.jsonl"), jsonl(refs));
    write_file(dir_.file("base.jsonl"), jsonl(base));
    write_file(dir_.file("short.jsonl"), jsonl(shorter));
    write_file(dir_.file("copy.jsonl"), jsonl(copy));
    texts_ = {base, shorter, copy};
  }
  static std::string jsonl(const std::vector<std::string>& texts) {
    std::string out;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      out += json{{"id", "s" + std::to_string(i)}, {"report", texts[i]}}.dump() + "\n";
    }
    return out;
  }
  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> a{"compare", "--ref", dir_.file("ref.jsonl")};
    for (const char* name : {"base", "short", "copy"}) {
      a.push_back("--sys");
      a.push_back(std::string(name) + "=" + dir_.file(std::string(name) + ".jsonl"));
    }
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  std::string read_reference(std::size_t i) const {
    const auto& reports = rrg::testing::radiology_reports();
    return reports[(i * 7 + 3) % reports.size()];
  }
  std::vector<std::vector<std::string>> texts_;
  TempDir dir_;
};

TEST_F(CliCompareHtml, ReportShowsTheComparisonsNumbersWithTheBaselineFirst) {
  const std::vector<std::string> settings = {"--ar-trials", "200",        "--bootstrap",
                                             "100",         "--baseline", "short"};
  auto a = args(settings);
  a.insert(a.end(), {"--html", dir_.file("cmp.html"), "--json", dir_.file("cmp.json"), "-q"});
  const auto r = run_rrg(a);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(files_in(dir_.path()),
            (std::vector<std::string>{"base.jsonl", "cmp.html", "cmp.json", "copy.jsonl",
                                      "ref.jsonl", "short.jsonl"}))
      << "no temporary left";
  const std::string html = read_file(dir_.file("cmp.html"));
  const json doc = json::parse(read_file(dir_.file("cmp.json")));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* id : {"run", "summary", "clinical", "distributions", "worst", "samples"}) {
    EXPECT_NE(html.find("<section id=\"" + std::string(id) + "\""), std::string::npos) << id;
  }
  EXPECT_NE(html.find("<title>rrg compare: base vs short vs copy</title>"), std::string::npos);
  EXPECT_NE(html.find(std::to_string(kIds) + " samples, 3 systems"), std::string::npos);
  EXPECT_NE(html.find(dir_.file("copy.jsonl") + " (jsonl, 40 records)"), std::string::npos);
  EXPECT_NE(html.find("--baseline short"), std::string::npos) << "the command";
  EXPECT_NE(html.find("ar:200|seed:12345|pvalue:radeval"), std::string::npos);
  EXPECT_NE(html.find("bootstrap:100|ci:95|seed:12345|rng:numpy-randomstate"), std::string::npos);
  EXPECT_NE(html.find("short (baseline)"), std::string::npos);

  // Every tested headline metric: each system's value and interval, and the others' difference
  // interval and p-value, as --json has them (4 decimals), the baseline's columns first.
  for (const char* metric :
       {"BLEU-4", "METEOR", "ROUGE-L", "CIDEr", "chexpert_micro_f1_14_uzeros"}) {
    const std::string row = summary_row(html, metric);
    ASSERT_FALSE(row.empty()) << metric;
    std::size_t at = 0;
    for (const char* system : {"short", "base", "copy"}) {
      const json& cell = doc["systems"][system][metric];
      const std::string where = std::string(system) + " " + metric + ": " + row;
      for (const std::string& text :
           {fixed4(cell["value"].get<double>()), "[" + fixed4(cell["ci_low"].get<double>()) + ", " +
                                                     fixed4(cell["ci_high"].get<double>()) + "]"}) {
        const std::size_t found = row.find(text, at);
        ASSERT_NE(found, std::string::npos) << text << " in " << where;
        at = found + text.size();
      }
      if (std::string(system) == "short") {
        EXPECT_TRUE(cell["p_value"].is_null());
        continue;
      }
      const double p = cell["p_value"].get<double>();
      const std::string diff = "[" + fixed4(cell["diff_ci_low"].get<double>()) + ", " +
                               fixed4(cell["diff_ci_high"].get<double>()) + "]";
      const std::string p_text = fixed4(p) + (p < 0.05 ? "*" : "");
      for (const std::string& text : {diff, p_text}) {
        const std::size_t found = row.find(text, at);
        ASSERT_NE(found, std::string::npos) << text << " in " << where;
        at = found + text.size();
      }
    }
  }
  // "copy" equals the references on every third sample: BLEU-4 differs significantly.
  EXPECT_LT(doc["systems"]["copy"]["BLEU-4"]["p_value"].get<double>(), 0.05);
  EXPECT_NE(summary_row(html, "BLEU-4").find(" signif\""), std::string::npos);

  // Per-observation F1 bars: a series per system, with the bootstrap whiskers.
  const std::size_t f1 = html.find("id=\"chart-f1\"");
  ASSERT_NE(f1, std::string::npos);
  const std::string chart = html.substr(f1, html.find("</svg>", f1) - f1);
  std::size_t bars = 0;
  for (std::size_t p = chart.find("class=\"bar\""); p != std::string::npos;
       p = chart.find("class=\"bar\"", p + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 3u * 14u) << "14 bars per system";
  EXPECT_NE(chart.find("class=\"interval\""), std::string::npos) << "intervals drawn";

  const json data = data_block(html);
  ASSERT_FALSE(data.is_null());
  EXPECT_EQ(data["n_samples"], kIds);
  ASSERT_EQ(data["systems"].size(), 3u);
  EXPECT_EQ(data["systems"][0]["name"], "short");
  EXPECT_EQ(data["systems"][1]["name"], "base");
  EXPECT_EQ(data["systems"][2]["name"], "copy");
  // The texts of each system, in the report's system order, beside the reference.
  const json& rows = data["rows"];
  EXPECT_EQ(rows["id"][4], "s4");
  EXPECT_EQ(text_of(data, rows["systems"][0]["prediction"][4]), texts_[1][4]);
  EXPECT_EQ(text_of(data, rows["systems"][1]["prediction"][4]), texts_[0][4]);
  EXPECT_EQ(text_of(data, rows["reference"][3]), read_reference(3));
  // "copy" copies the reference of s3: one shared text, both sides referring to it.
  EXPECT_TRUE(rows["reference"][3].is_number());
  EXPECT_EQ(rows["systems"][2]["prediction"][3], rows["reference"][3]);
  EXPECT_EQ(rows["systems"][2]["labels"][3], rows["reference_labels"][3]);
  // Default table columns: the headline per-sample metrics, one per system each.
  std::vector<std::string> columns;
  for (const auto& column : data["columns"]) {
    columns.push_back(data["metrics"][column["metric"].get<std::size_t>()]["name"]);
  }
  EXPECT_EQ(columns.size(), 6u * 3u)
      << "BLEU-4, ROUGE-L, METEOR, CIDEr, example F1 (U0), n_disagree";
  for (const char* name :
       {"BLEU-4", "ROUGE-L", "METEOR", "CIDEr", "chexpert_example_f1_uzeros", "n_disagree"}) {
    EXPECT_EQ(std::count(columns.begin(), columns.end(), name), 3) << name;
  }
  // A worst list per system and per-sample metric, 20 each by default.
  std::size_t lists_of_copy = 0;
  for (const auto& list : data["worst"]) {
    EXPECT_EQ(list["rows"].size(), 20u);
    lists_of_copy += list["system"] == 2 ? 1 : 0;
  }
  EXPECT_EQ(data["worst"].size(), 3 * lists_of_copy);
  EXPECT_GE(lists_of_copy, 12u);
}

TEST_F(CliCompareHtml, OutDirColumnsWorstAndRowsShapeTheReport) {
  const auto r =
      run_rrg(args({"--metrics", "BLEU-4,METEOR", "--labeler", "none", "--ar-trials", "50",
                    "--bootstrap", "0", "--out-dir", dir_.file("out"), "--html", "--html-worst",
                    "3", "--html-rows", "7", "--html-columns", "METEOR", "-q"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(files_in(dir_.file("out")),
            (std::vector<std::string>{"compare.csv", "compare.json", "compare.xlsx",
                                      "compare_report.html"}));
  const std::string html = read_file(dir_.file("out/compare_report.html"));
  EXPECT_EQ(html.find("<section id=\"clinical\""), std::string::npos) << "no labeler";
  EXPECT_EQ(html.find("bootstrap:"), std::string::npos) << "no intervals asked";
  EXPECT_NE(html.find("ar:50|seed:12345|pvalue:radeval"), std::string::npos);
  const json data = data_block(html);
  EXPECT_EQ(data["n_table_rows"], 7);
  ASSERT_EQ(data["columns"].size(), 3u);
  for (const auto& column : data["columns"]) {
    EXPECT_EQ(data["metrics"][column["metric"].get<std::size_t>()]["name"], "METEOR");
  }
  EXPECT_EQ(data["worst"].size(), 3u * 2u) << "BLEU-4 and METEOR per system";
  for (const auto& list : data["worst"]) EXPECT_EQ(list["rows"].size(), 3u);

  const auto all = run_rrg(
      args({"--metrics", "BLEU-4,METEOR", "--labeler", "none", "--ar-trials", "20", "--bootstrap",
            "0", "--html", dir_.file("all.html"), "--html-columns", "all", "-q"}));
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(data_block(read_file(dir_.file("all.html")))["columns"].size(), 2u * 3u);
}

TEST_F(CliCompareHtml, BadFlagsAndPathsAreRefusedBeforeAnythingIsWritten) {
  auto r = run_rrg(args({"--html"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--html needs a FILE, or --out-dir DIR"), std::string::npos) << r.err;
  r = run_rrg(args({"--html-columns", "BLEU-4"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("add --html FILE"), std::string::npos) << r.err;
  r = run_rrg(args({"--html", "-"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'-' (stdout) is not supported"), std::string::npos) << r.err;

  r = run_rrg(args({"--html", dir_.file("no/such/dir/r.html"), "--json", dir_.file("c.json")}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(dir_.file("no/such/dir/r.html") + ": cannot write"), std::string::npos)
      << r.err;
  EXPECT_FALSE(file_exists(dir_.file("c.json")));

  // An unknown column is found once the metrics are known, still before any file is written.
  r = run_rrg(args({"--metrics", "BLEU-4,METEOR", "--labeler", "none", "--ar-trials", "20",
                    "--bootstrap", "0", "--html", dir_.file("r.html"), "--json",
                    dir_.file("c.json"), "--html-columns", "METEOR,BLEU4"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--html-columns: 'BLEU4' is not a per-sample metric of this run"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("BLEU-4"), std::string::npos) << "suggests the right name: " << r.err;
  EXPECT_EQ(files_in(dir_.path()),
            (std::vector<std::string>{"base.jsonl", "copy.jsonl", "ref.jsonl", "short.jsonl"}));
}

TEST_F(CliCompareHtml, ScriptInASystemsOutputIsEscaped) {
  const std::string attack = "<script>alert(1)</script> </script><!-- & effusion.";
  std::string lines;
  for (std::size_t i = 0; i < kIds; ++i) {
    lines +=
        json{{"id", "s" + std::to_string(i)}, {"report", i == 2 ? attack : "clear."}}.dump() + "\n";
  }
  write_file(dir_.file("copy.jsonl"), lines);
  const auto r = run_rrg(args({"--metrics", "BLEU-4", "--ar-trials", "20", "--bootstrap", "0",
                               "--html", dir_.file("x.html"), "-q"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(dir_.file("x.html"));
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  const json data = data_block(html);
  EXPECT_EQ(text_of(data, data["rows"]["systems"][2]["prediction"][2]), attack);
}

}  // namespace
