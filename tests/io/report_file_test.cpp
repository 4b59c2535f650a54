// Report readers: every supported layout, detection, and the error messages users see.
#include "rrg/io/report_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::io::parse_report_file;
using rrg::io::ReportFormat;

std::string error_of(const std::string& path, const std::string& content,
                     ReportFormat format = ReportFormat::kAuto) {
  try {
    parse_report_file(path, content, format);
  } catch (const rrg::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ReportFile, ReadsJsonlWithEveryTextKey) {
  const auto file = parse_report_file("p.jsonl",
                                      "{\"id\": \"a\", \"report\": \"no effusion .\"}\n"
                                      "{\"id\": 7, \"output\": \"clear lungs\"}\n"
                                      "\n"
                                      "{\"id\": \"c\", \"prediction\": \"x\"}\r\n"
                                      "{\"id\": \"d\", \"text\": \"\"}\n");
  EXPECT_EQ(file.format, ReportFormat::kJsonl);
  ASSERT_EQ(file.records.size(), 4u);
  EXPECT_EQ(file.records[0].texts, std::vector<std::string>{"no effusion ."});
  EXPECT_EQ(file.records[1].id, "7");
  EXPECT_EQ(file.records[2].line, 4u);
  EXPECT_EQ(file.records[3].texts, std::vector<std::string>{""});
}

TEST(ReportFile, ReadsSeveralReferences) {
  const auto file = parse_report_file(
      "r.jsonl",
      "{\"id\": \"a\", \"report\": \"one\", \"references\": [\"one\", \"two\", \"three\"]}\n"
      "{\"id\": \"b\", \"references\": [\"x\", \"y\"]}\n"
      "{\"id\": \"c\", \"report\": \"main\", \"references\": [\"other\"]}\n");
  EXPECT_EQ(file.records[0].texts, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(file.records[1].texts, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(file.records[2].texts, (std::vector<std::string>{"main", "other"}));
}

TEST(ReportFile, ReadsTheOriginalToolkitJsonAcrossSplits) {
  const auto refs =
      parse_report_file("annotation.json",
                        R"({"train": [{"id": "t1", "report": "a", "image_path": ["x.png"]}],
          "val": [{"id": "v1", "report": "b"}],
          "test": [{"id": "s1", "report": "c"}]})");
  EXPECT_EQ(refs.format, ReportFormat::kSeed);
  ASSERT_EQ(refs.records.size(), 3u);
  EXPECT_EQ(refs.records[2].id, "s1");
  const auto preds = parse_report_file("out.json", R"({"test": [{"id": "s1", "output": "c"}]})");
  EXPECT_EQ(preds.records[0].texts[0], "c");
}

TEST(ReportFile, ReadsR2GenResults) {
  const auto file = parse_report_file("res.json", R"({"s1": ["pred one"], "s2": ["r1", "r2"]})");
  EXPECT_EQ(file.format, ReportFormat::kR2Gen);
  EXPECT_EQ(file.records[1].texts, (std::vector<std::string>{"r1", "r2"}));
}

TEST(ReportFile, ReadsCsvWithAndWithoutIds) {
  const auto with_ids =
      parse_report_file("r.csv", "study_id,Report Impression\n10,\"no acute, disease\"\n");
  EXPECT_FALSE(with_ids.positional_ids);
  EXPECT_EQ(with_ids.records[0].id, "10");
  EXPECT_EQ(with_ids.records[0].texts[0], "no acute, disease");
  const auto without = parse_report_file("labeled.csv", "Report Impression\nfirst\nsecond\n");
  EXPECT_TRUE(without.positional_ids);
  EXPECT_EQ(without.records[1].id, "2");
}

TEST(ReportFile, ReadsPlainTextOneReportPerLine) {
  const auto file = parse_report_file("p.txt", "first report\n\nthird\n");
  EXPECT_TRUE(file.positional_ids);
  ASSERT_EQ(file.records.size(), 3u);
  EXPECT_EQ(file.records[1].texts[0], "");
  EXPECT_EQ(file.records[2].id, "3");
}

TEST(ReportFile, DetectsJsonlInsideADotJsonFile) {
  const auto file = parse_report_file(
      "p.json", "{\"id\": \"a\", \"report\": \"x\"}\n{\"id\": \"b\", \"report\": \"y\"}\n");
  EXPECT_EQ(file.format, ReportFormat::kJsonl);
}

TEST(ReportFile, KeepsProducerErrors) {
  const auto file = parse_report_file(
      "gen.jsonl", "{\"id\": \"a\", \"output\": null, \"error\": \"HTTP 500 after 4 attempts\"}\n");
  EXPECT_EQ(file.records[0].error, "HTTP 500 after 4 attempts");
  EXPECT_EQ(file.records[0].texts[0], "");
}

TEST(ReportFileErrors, MalformedJsonlNamesLineAndColumn) {
  EXPECT_EQ(
      error_of("p.jsonl", "{\"id\": \"a\", \"report\": \"x\"}\n{\"id\": \"b\", \"report\": }\n"),
      "p.jsonl:2:23: malformed JSON line: syntax error while parsing value - unexpected "
      "'}'; expected '[', '{', or a literal");
}

TEST(ReportFileErrors, MissingTextKeyNamesTheExpectedKeys) {
  EXPECT_EQ(error_of("p.jsonl", "{\"id\": \"a\", \"findings\": \"x\"}\n"),
            "p.jsonl:1: no report text: expected a string field \"report\", \"output\", "
            "\"prediction\" or \"text\" (or \"references\": [...])");
}

TEST(ReportFileErrors, MissingIdAndWrongTypes) {
  EXPECT_EQ(error_of("p.jsonl", "{\"report\": \"x\"}\n"),
            "p.jsonl:1: field \"id\" is missing (every record needs a unique id)");
  EXPECT_EQ(error_of("p.jsonl", "{\"id\": \"a\", \"report\": 3}\n"),
            "p.jsonl:1: field \"report\" must be a string, got a number");
  EXPECT_EQ(error_of("p.jsonl", "[1, 2]\n"),
            "p.jsonl:1: expected a JSON object {\"id\": ..., \"report\": ...}, got an array");
}

TEST(ReportFileErrors, DuplicatedIdsAreCountedAndNamed) {
  EXPECT_EQ(error_of("p.jsonl",
                     "{\"id\": \"a\", \"report\": \"x\"}\n{\"id\": \"b\", \"report\": \"x\"}\n"
                     "{\"id\": \"a\", \"report\": \"y\"}\n{\"id\": \"b\", \"report\": \"z\"}\n"),
            "p.jsonl: 2 duplicated ids (first: \"a\" (records 1 and 3), \"b\" (records 2 and 4)); "
            "every id must appear once — remove or rename the duplicates");
}

TEST(ReportFileErrors, InvalidUtf8NamesTheByte) {
  EXPECT_EQ(error_of("p.txt", "ok\nbad \xFF here\n"),
            "p.txt:2:5: invalid UTF-8 (byte 0xFF); re-save the file as UTF-8");
}

TEST(ReportFileErrors, EmptyFilesAndWrongLayouts) {
  EXPECT_EQ(error_of("p.jsonl", "  \n\n"), "p.jsonl: the file is empty (no reports)");
  EXPECT_EQ(error_of("p.json", "{\"test\": 5}"),
            "p.json: \"test\" must be an array of {\"id\", \"report\"} objects, got a number");
  EXPECT_EQ(error_of("p.json", "{\"test\": [{\"id\": \"a\"}]}"),
            "p.json: test[0]: no report text: expected a string field \"report\", \"output\", "
            "\"prediction\" or \"text\" (or \"references\": [...])");
  EXPECT_EQ(error_of("p.csv", "id,foo\n1,x\n"),
            "p.csv:1: no report column in the CSV header (have \"id\", \"foo\"; expected one of "
            "report, output, prediction, text, Report Impression)");
  EXPECT_EQ(error_of("p.csv", "id,report\n1,x,y\n"),
            "p.csv:2: row has 3 fields but the header has 2");
}

TEST(ReportFileErrors, MalformedJsonDocument) {
  EXPECT_EQ(error_of("p.json", "{\"test\": [\n  {\"id\": \"a\", \"output\": \"x\"},\n]}"),
            "p.json:3:1: malformed JSON: syntax error while parsing value - unexpected ']'; "
            "expected '[', '{', or a literal");
}

TEST(ReportFileErrors, UnreadablePath) {
  try {
    rrg::io::read_report_file("/nonexistent/dir/p.jsonl");
    FAIL();
  } catch (const rrg::InputError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/dir/p.jsonl: cannot read (No such file or directory)");
  }
}

// Issue 16: a large JSONL file is parsed in parts on several threads; the records, their line
// numbers and the first error are the same as on one thread.
std::string large_jsonl(std::size_t n) {
  std::string content;
  for (std::size_t i = 0; i < n; ++i) {
    content += "{\"id\": \"s" + std::to_string(i) + "\", \"report\": \"report number " +
               std::to_string(i) + " with some words to pass a megabyte\"}\n";
    if (i % 1000 == 7) content += "\n";  // blank lines count in line numbers
  }
  return content;
}

TEST(ReportFile, ParallelJsonlEqualsOneThread) {
  const std::string content = large_jsonl(30000);
  ASSERT_GT(content.size(), std::size_t{1} << 20);
  const auto one = parse_report_file("p.jsonl", content, ReportFormat::kAuto, 1);
  for (const std::size_t threads : {2, 3, 8}) {
    const auto many = parse_report_file("p.jsonl", content, ReportFormat::kAuto, threads);
    ASSERT_EQ(one.records.size(), many.records.size());
    for (std::size_t i = 0; i < one.records.size(); ++i) {
      EXPECT_EQ(one.records[i].id, many.records[i].id);
      EXPECT_EQ(one.records[i].texts, many.records[i].texts);
      EXPECT_EQ(one.records[i].line, many.records[i].line);
    }
  }
}

TEST(ReportFileErrors, ParallelJsonlNamesTheFirstBadLine) {
  std::string content = large_jsonl(30000);
  // Two bad lines, far apart: the earlier one is reported, as on one thread.
  const std::size_t late = content.rfind("\"report\"");
  content.replace(late, 8, "\"rep");
  const std::size_t early = content.find("\"report\"", content.size() / 3);
  content.replace(early, 8, "\"rep");
  std::string one, many;
  try {
    parse_report_file("p.jsonl", content, ReportFormat::kAuto, 1);
  } catch (const rrg::InputError& e) {
    one = e.what();
  }
  try {
    parse_report_file("p.jsonl", content, ReportFormat::kAuto, 4);
  } catch (const rrg::InputError& e) {
    many = e.what();
  }
  EXPECT_FALSE(one.empty());
  EXPECT_EQ(one, many);
}

// From 8 MB a file is read into its own mapping (huge pages where the kernel offers them): the
// same records as the in-memory parse, from a real file.
TEST(ReportFile, LargeFileFromDiskEqualsTheParsedText) {
  const std::string content = large_jsonl(150000);
  ASSERT_GT(content.size(), std::size_t{8} << 20);
  rrg::testing::TempDir tmp;
  const std::string path = tmp.file("large.jsonl");
  {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }
  const auto from_disk = rrg::io::read_report_file(path, ReportFormat::kAuto, 2);
  const auto parsed = parse_report_file(path, content, ReportFormat::kAuto, 2);
  ASSERT_EQ(from_disk.records.size(), 150000u);
  ASSERT_EQ(from_disk.records.size(), parsed.records.size());
  for (std::size_t i = 0; i < parsed.records.size(); ++i) {
    ASSERT_EQ(from_disk.records[i].id, parsed.records[i].id);
    ASSERT_EQ(from_disk.records[i].texts, parsed.records[i].texts);
  }
  EXPECT_EQ(from_disk.records.back().texts[0],
            "report number 149999 with some words to pass a megabyte");
}

}  // namespace
