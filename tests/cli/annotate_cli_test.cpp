// The real rrg binary: `rrg annotate --labeler rules` outputs, formats and errors (issue 3).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace {

using nlohmann::ordered_json;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

const char* kReports =
    "{\"id\": \"n1\", \"report\": \"The lungs are clear. No pleural effusion or pneumothorax.\"}\n"
    "{\"id\": \"e1\", \"report\": \"Small left pleural effusion. Heart size is enlarged.\"}\n"
    "{\"id\": \"u1\", \"report\": \"Left basilar opacity may represent pneumonia.\"}\n"
    "{\"id\": \"n2\", \"report\": \"The lungs are clear. No pleural effusion or pneumothorax.\"}\n";

TEST(CliAnnotate, WritesJsonlWithAllFourteenObservations) {
  TempDir dir;
  write_file(dir.file("r.jsonl"), kReports);
  const auto r = run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--out", dir.file("l.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("labelled 4 reports (3 distinct texts) with rules@"), std::string::npos)
      << r.err;
  const std::string out = read_file(dir.file("l.jsonl"));
  std::vector<ordered_json> lines;
  std::size_t pos = 0;
  while (pos < out.size()) {
    const std::size_t end = out.find('\n', pos);
    lines.push_back(ordered_json::parse(out.substr(pos, end - pos)));
    pos = end + 1;
  }
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["id"], "n1");
  EXPECT_EQ(lines[0]["labels"].size(), 14u);
  EXPECT_EQ(lines[0]["labels"]["No Finding"], 1);
  EXPECT_EQ(lines[0]["labels"]["Pleural Effusion"], 0);
  EXPECT_TRUE(lines[0]["labels"]["Fracture"].is_null());
  EXPECT_EQ(lines[1]["labels"]["Pleural Effusion"], 1);
  EXPECT_EQ(lines[1]["labels"]["Cardiomegaly"], 1);
  EXPECT_TRUE(lines[1]["labels"]["No Finding"].is_null());
  EXPECT_EQ(lines[2]["labels"]["Pneumonia"], -1);
  EXPECT_EQ(lines[3]["labels"], lines[0]["labels"]);
}

TEST(CliAnnotate, CsvFollowsCheXbertsLabeledReportsLayout) {
  TempDir dir;
  write_file(dir.file("r.jsonl"), kReports);
  const auto r = run_rrg(
      {"annotate", "--in", dir.file("r.jsonl"), "--out", dir.file("labeled_reports.csv"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string csv = read_file(dir.file("labeled_reports.csv"));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "Report Impression,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,"
            "Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,"
            "Fracture,Support Devices,No Finding");
  EXPECT_NE(csv.find("\nSmall left pleural effusion. Heart size is enlarged.,,1.0,,,,,,,,1.0,,,,\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",-1.0,"), std::string::npos);
  const auto with_ids = run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--out", "-",
                                 "--out-format", "csv", "--csv-ids", "-q"});
  ASSERT_EQ(with_ids.exit_code, 0);
  EXPECT_EQ(with_ids.out.rfind("id,Report Impression,", 0), 0u);
  EXPECT_NE(with_ids.out.find("\ne1,"), std::string::npos);
}

TEST(CliAnnotate, ReadsEveryInputFormat) {
  TempDir dir;
  write_file(dir.file("r.txt"), "No acute cardiopulmonary process.\nRight pneumothorax.\n");
  auto r = run_rrg({"annotate", "--in", dir.file("r.txt"), "--out", "-", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{\"id\":\"2\",\"labels\":"), std::string::npos) << r.out;
  write_file(dir.file("seed.json"), R"({"test": [{"id": "s1", "report": "Cardiomegaly."}]})");
  r = run_rrg({"annotate", "--in", dir.file("seed.json"), "--out", "-", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"Cardiomegaly\":1"), std::string::npos) << r.out;
}

TEST(CliAnnotateErrors, BadInputExitsTwoAndWritesNothing) {
  TempDir dir;
  write_file(dir.file("r.jsonl"),
             "{\"id\": \"a\", \"report\": \"x\"}\n{\"id\": \"a\", \"report\": \"y\"}\n");
  auto r = run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--out", dir.file("l.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("1 duplicated id (first: \"a\" (records 1 and 2))"), std::string::npos)
      << r.err;
  EXPECT_FALSE(rrg::testing::file_exists(dir.file("l.jsonl")));
  r = run_rrg({"annotate", "--in", dir.file("r.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("annotate needs --in REPORTS and --out LABELS"), std::string::npos) << r.err;
  r = run_rrg({"annotate", "--labeler", "chexbret", "--in", dir.file("r.jsonl"), "--out",
               dir.file("l.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown labeler 'chexbret'"), std::string::npos) << r.err;
}

}  // namespace
