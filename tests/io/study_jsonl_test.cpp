// rrg's JSONL study lists.
#include "rrg/io/datasets/study_jsonl.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

TEST(StudyJsonl, ReadsImagesViewsAndOptionalFields) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(
      dir.file("s.jsonl"),
      "{\"id\": \"a\", \"images\": [\"a/front.png\", {\"path\": \"/abs/lat.dcm\", \"view\": "
      "\"LATERAL\"}], \"indication\": \"Cough.\"}\n"
      "\n"
      "{\"id\": 7, \"images\": [\"b.jpg\"], \"prompt\": \"Describe.\", \"reference\": "
      "\"Clear.\"}\r\n");
  const auto list = rrg::io::read_study_jsonl(dir.file("s.jsonl"), "/root");
  ASSERT_EQ(list.studies.size(), 2u);
  EXPECT_EQ(list.studies[0].images[0].path, "/root/a/front.png");
  EXPECT_EQ(list.studies[0].images[1].path, "/abs/lat.dcm");
  EXPECT_EQ(list.studies[0].images[1].view, "LATERAL");
  EXPECT_EQ(list.studies[0].indication, "Cough.");
  EXPECT_EQ(list.studies[1].id, "7");
  EXPECT_EQ(list.studies[1].prompt, "Describe.");
  EXPECT_EQ(list.studies[1].reference, "Clear.");
  EXPECT_EQ(list.studies[1].origin, dir.file("s.jsonl") + ":3");
}

std::string error_of(const std::string& content) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("s.jsonl"), content);
  try {
    rrg::io::read_study_jsonl(dir.file("s.jsonl"), "");
  } catch (const rrg::InputError& e) {
    const std::string what = e.what();
    return what.substr(what.find("s.jsonl"));
  }
  return "<no error>";
}

TEST(StudyJsonl, BadLinesAreNamed) {
  EXPECT_EQ(error_of("{\"id\": \"a\", \"images\": [\"x.png\"]}\n{\"id\": \"b\"}\n"),
            "s.jsonl:2: field \"images\" must be a non-empty array of paths");
  EXPECT_EQ(error_of("{\"images\": [\"x.png\"]}\n"), "s.jsonl:1: field \"id\" is missing");
  EXPECT_EQ(error_of("{\"id\": \"a\", \"images\": [3]}\n"),
            "s.jsonl:1: \"images\" entries must be paths or {\"path\", \"view\"?}, got 3");
  EXPECT_NE(error_of("{\"id\": \"a\", \"images\": [\"x.png\"]}\n{oops\n")
                .find("s.jsonl:2:2: "
                      "malformed JSON"),
            std::string::npos)
      << error_of("{\"id\": \"a\", \"images\": [\"x.png\"]}\n{oops\n");
  EXPECT_EQ(error_of("{\"id\": \"a\", \"images\": [\"x.png\"], \"prompt\": 5}\n"),
            "s.jsonl:1: field \"prompt\" must be a string, got a number");
}

}  // namespace
