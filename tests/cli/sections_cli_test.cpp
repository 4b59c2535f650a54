// The real rrg binary: `rrg sections` on a report tree written for this test, and the files it
// writes read back with the evaluator's reader (io::read_report_file).
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "rrg/io/report_file.h"
#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

void write_report(const TempDir& dir, const std::string& rel, const std::string& text) {
  const std::string path = dir.file("reports/" + rel);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  write_file(path, text);
}

class CliSections : public ::testing::Test {
 protected:
  void SetUp() override {
    write_report(dir_, "files/p10/p10000032/s50000001.txt",
                 "                                 FINAL REPORT\n"
                 " INDICATION:  Cough.\n \n"
                 " FINDINGS:  Lungs are clear.\n No effusion.\n \n"
                 " IMPRESSION:  Normal chest.\n");
    write_report(dir_, "files/p10/p10000032/s50000002.txt",
                 "                                 FINAL REPORT\n"
                 " COMPARISON:  None.\n \n Stable cardiomegaly.\n");
    write_report(dir_, "files/p11/p11000001/s50000003.txt",
                 "x\n INDICATION:\n IMPRESSION:  swallowed by the indication.\n");
  }
  TempDir dir_;
};

TEST_F(CliSections, WritesJsonlTheEvaluatorReads) {
  const auto r = run_rrg({"sections", dir_.file("reports"), "-o", dir_.file("refs.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = read_file(dir_.file("refs.jsonl"));
  EXPECT_EQ(out,
            "{\"id\":\"50000001\",\"report\":\"Normal chest.\",\"section\":\"impression\","
            "\"findings\":\"Lungs are clear.\\n No effusion.\",\"impression\":\"Normal chest.\","
            "\"last_paragraph\":null,\"comparison\":null,\"indication\":\"Cough.\"}\n"
            "{\"id\":\"50000002\",\"report\":\"Stable cardiomegaly.\",\"section\":"
            "\"last_paragraph\",\"findings\":null,\"impression\":null,\"last_paragraph\":"
            "\"Stable cardiomegaly.\",\"comparison\":\"None.\",\"indication\":null}\n");
  EXPECT_NE(r.err.find("3 report(s); chosen section: impression 1, last_paragraph 1"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("1 report(s) have none of the sections"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(50000003)"), std::string::npos) << r.err;
  const rrg::io::ReportFile refs = rrg::io::read_report_file(dir_.file("refs.jsonl"));
  ASSERT_EQ(refs.records.size(), 2u);
  EXPECT_EQ(refs.records[0].texts[0], "Normal chest.");
}

TEST_F(CliSections, FindingsOnlyCsvAndSeedFormats) {
  auto r = run_rrg({"sections", dir_.file("reports"), "--prefer", "findings",
                    "--collapse-whitespace", "-o", dir_.file("refs.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir_.file("refs.csv")),
            "id,report,section,findings,impression,last_paragraph,comparison,indication\n"
            "50000001,Lungs are clear. No effusion.,findings,Lungs are clear. No effusion.,"
            "Normal chest.,,,Cough.\n");
  const rrg::io::ReportFile csv = rrg::io::read_report_file(dir_.file("refs.csv"));
  ASSERT_EQ(csv.records.size(), 1u);
  EXPECT_EQ(csv.records[0].id, "50000001");
  EXPECT_EQ(csv.records[0].texts[0], "Lungs are clear. No effusion.");

  r = run_rrg({"sections", dir_.file("reports"), "--keep-empty", "--keep-s-prefix", "-o",
               dir_.file("refs.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json seed = json::parse(read_file(dir_.file("refs.json")));
  ASSERT_EQ(seed["test"].size(), 3u);
  EXPECT_EQ(seed["test"][0]["id"], "s50000001");
  EXPECT_EQ(seed["test"][2]["report"], "");
}

TEST_F(CliSections, ReadsAJsonlOfReports) {
  write_file(dir_.file("raw.jsonl"),
             "{\"id\": \"a\", \"report\": \"x\\n FINDINGS:  Clear.\\n\"}\n"
             "{\"id\": \"b\", \"report\": \"No headers at all.\"}\n");
  const auto r = run_rrg({"sections", dir_.file("raw.jsonl"), "--keep-empty", "-o", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{\"id\":\"a\",\"report\":\"Clear.\",\"section\":\"findings\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("{\"id\":\"b\",\"report\":\"\",\"section\":null"), std::string::npos)
      << r.out;
}

TEST_F(CliSections, BadInputExitsTwoAndWritesNothing) {
  auto r = run_rrg(
      {"sections", dir_.file("reports"), "--prefer", "finding", "-o", dir_.file("out.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown section name 'finding' (did you mean 'findings'"),
            std::string::npos)
      << r.err;
  r = run_rrg({"sections", dir_.file("nowhere"), "-o", dir_.file("out.jsonl")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  write_report(dir_, "files/p12/bad/s1.txt", "bad \xff byte");
  r = run_rrg({"sections", dir_.file("reports"), "-o", dir_.file("out.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("s1.txt: invalid UTF-8 at byte 4"), std::string::npos) << r.err;
  EXPECT_FALSE(rrg::testing::file_exists(dir_.file("out.jsonl")));
}

}  // namespace
