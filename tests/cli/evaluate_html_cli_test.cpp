// `rrg evaluate --html`: the real binary writes one self-contained report atomically, with the
// expected sections and data, and refuses bad paths and flag combinations before writing
// anything.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::testing::file_exists;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

const std::string kExamples = rrg::testing::source_dir() + "/examples";

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

TEST(CliEvaluateHtml, WritesOneSelfContainedReport) {
  TempDir dir;
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--html", dir.file("report.html"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(files_in(dir.path()), std::vector<std::string>{"report.html"}) << "no temporary left";
  const std::string html = read_file(dir.file("report.html"));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
  for (const char* id : {"run", "summary", "clinical", "distributions", "worst", "samples"}) {
    EXPECT_NE(html.find("<section id=\"" + std::string(id) + "\""), std::string::npos) << id;
  }
  // Inputs, command and signatures.
  EXPECT_NE(html.find(kExamples + "/pred.jsonl (jsonl, 24 records)"), std::string::npos);
  EXPECT_NE(html.find("--html " + dir.file("report.html")), std::string::npos);
  EXPECT_NE(html.find("METEOR|conv:nltk-3.8"), std::string::npos);
  EXPECT_NE(html.find("chexpert_micro_f1_14_uzeros"), std::string::npos);
  EXPECT_NE(html.find("labeler:rules@"), std::string::npos);
  // Charts: per-observation F1, prevalence, TP/FN/FP, one histogram per per-sample metric.
  for (const char* chart :
       {"chart-f1", "chart-prevalence", "chart-confusion-0", "hist-BLEU-4", "hist-n_disagree"}) {
    EXPECT_NE(html.find("id=\"" + std::string(chart) + "\""), std::string::npos) << chart;
  }
  const json data = data_block(html);
  ASSERT_FALSE(data.is_null());
  EXPECT_EQ(data["n_samples"], 24);
  EXPECT_EQ(data["rows"]["id"].size(), 24u);
  EXPECT_EQ(data["rows"]["id"][0], "cxr-001");
  EXPECT_EQ(data["rows"]["systems"][0]["prediction"][0].get<std::string>().rfind("Heart size", 0),
            0u);
  EXPECT_EQ(data["rows"]["reference_labels"][0].get<std::string>().size(), 14u);
  EXPECT_EQ(data["worst"][0]["rows"].size(), 20u) << "--html-worst defaults to 20";
}

TEST(CliEvaluateHtml, OutDirWritesPrefixReportBesideTheOtherFiles) {
  TempDir dir;
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--out-dir", dir.file("out"), "--html",
                          "--prefix", "run1", "-q", "--labeler", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(files_in(dir.file("out")),
            (std::vector<std::string>{"run1_metrics.json", "run1_metrics.xlsx",
                                      "run1_per_sample.csv", "run1_report.html"}));
  const std::string html = read_file(dir.file("out/run1_report.html"));
  EXPECT_EQ(html.find("<section id=\"clinical\""), std::string::npos) << "no labeler, no labels";
  EXPECT_EQ(data_block(html)["rows"]["reference_labels"], nullptr);
}

TEST(CliEvaluateHtml, AnExplicitFileWithOutDirGoesToTheFileOnly) {
  TempDir dir;
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--out-dir", dir.file("out"), "--html",
                          dir.file("r.html"), "-q", "--labeler", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(file_exists(dir.file("r.html")));
  EXPECT_EQ(files_in(dir.file("out")).size(), 3u);
}

TEST(CliEvaluateHtml, WorstAndRowsShapeTheReport) {
  TempDir dir;
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--html", dir.file("r.html"), "--html-worst",
                          "3", "--html-rows", "5", "-q", "--labeler", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(dir.file("r.html"));
  const json data = data_block(html);
  EXPECT_EQ(data["n_table_rows"], 5);
  for (const auto& list : data["worst"]) EXPECT_EQ(list["rows"].size(), 3u);
  EXPECT_GE(data["rows"]["id"].size(), 5u);
  EXPECT_NE(html.find("The table holds the first 5 of 24 samples"), std::string::npos);
}

TEST(CliEvaluateHtml, ScriptInAReportIsEscapedEverywhere) {
  TempDir dir;
  const std::string attack = "<script>alert(1)</script> </script><!-- \\\" & '";
  write_file(dir.file("p.jsonl"), "{\"id\": \"x<script>1</script>\", \"report\": \"" + attack +
                                      " effusion.\"}\n{\"id\": \"b\", \"report\": \"clear.\"}\n");
  write_file(dir.file("r.jsonl"), "{\"id\": \"x<script>1</script>\", \"report\": \"small " +
                                      attack +
                                      " effusion.\"}\n{\"id\": \"b\", \"report\": \"x\"}\n");
  const auto r = run_rrg({"evaluate", "--pred", dir.file("p.jsonl"), "--ref", dir.file("r.jsonl"),
                          "--html", dir.file("r.html"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_file(dir.file("r.html"));
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<script>1"), std::string::npos);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  const json data = data_block(html);
  EXPECT_EQ(data["rows"]["id"][0], "x<script>1</script>");
  EXPECT_EQ(data["rows"]["systems"][0]["prediction"][0],
            "<script>alert(1)</script> </script><!-- \" & ' effusion.");
}

TEST(CliEvaluateHtml, UnwritablePathFailsBeforeAnythingIsWritten) {
  TempDir dir;
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--html", dir.file("no/such/dir/r.html"),
                          "--json", dir.file("m.json"), "--out-dir", dir.file("out")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "") << "no table either: the run stopped before scoring";
  EXPECT_NE(r.err.find(dir.file("no/such/dir/r.html") + ": cannot write"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("check that directory '" + dir.file("no/such/dir") + "' exists"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(files_in(dir.path()).empty()) << "no json, no out-dir, no temporary";
}

TEST(CliEvaluateHtml, BadInputLeavesAnExistingReportUntouched) {
  TempDir dir;
  write_file(dir.file("r.html"), "previous report");
  write_file(dir.file("p.jsonl"), "{\"id\": \"a\", \"report\": \"x\"}\n{\"id\": \"b\"\n");
  const auto r = run_rrg({"evaluate", "--pred", dir.file("p.jsonl"), "--ref",
                          kExamples + "/ref.jsonl", "--html", dir.file("r.html")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(read_file(dir.file("r.html")), "previous report");
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"p.jsonl", "r.html"}));
}

TEST(CliEvaluateHtml, ImpossibleFlagCombinationsAreRefused) {
  const std::vector<std::string> base = {"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                                         kExamples + "/ref.jsonl"};
  const auto with = [&base](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_rrg(args);
  };
  auto r = with({"--html"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--html needs a FILE, or --out-dir DIR"), std::string::npos) << r.err;
  r = with({"--html-worst", "5"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("add --html FILE"), std::string::npos) << r.err;
  r = with({"--html", "-"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'-' (stdout) is not supported"), std::string::npos) << r.err;
  r = with({"--html", "x.html", "--html-rows", "many"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
