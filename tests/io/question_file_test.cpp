// The original toolkit's question file as a study source.
#include "rrg/io/datasets/question_file.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

std::string error_of(const std::string& path, const std::string& root = "") {
  try {
    rrg::io::read_question_file(path, root);
  } catch (const rrg::InputError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(QuestionFile, ReadsImagesAndPromptsInOrder) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("q.json"), R"({"test": [
    {"id": "s1", "role": "user", "content": [
      {"type": "image", "image": "imgs/a.jpg"},
      {"type": "text", "text": "Describe the findings."}]},
    {"id": 42, "role": "user", "content": [
      {"type": "text", "text": "Two views:"},
      {"type": "image", "image": "file:///data/b.png"},
      {"type": "image", "image": "https://example.org/c.jpg"},
      {"type": "text", "text": "Write the report."}]}]})");
  const auto list = rrg::io::read_question_file(dir.file("q.json"), "/root");
  ASSERT_EQ(list.studies.size(), 2u);
  EXPECT_EQ(list.studies[0].id, "s1");
  EXPECT_EQ(list.studies[0].images[0].path, "/root/imgs/a.jpg");
  EXPECT_EQ(list.studies[0].prompt, "Describe the findings.");
  EXPECT_EQ(list.studies[1].id, "42");
  EXPECT_EQ(list.studies[1].images[0].path, "/data/b.png");
  EXPECT_EQ(list.studies[1].images[1].path, "https://example.org/c.jpg");
  EXPECT_EQ(list.studies[1].prompt, "Two views:\nWrite the report.");
  // Without an image root, relative paths stay relative (to the working directory).
  EXPECT_EQ(rrg::io::read_question_file(dir.file("q.json"), "").studies[0].images[0].path,
            "imgs/a.jpg");
}

TEST(QuestionFile, BadInputNamesFileAndEntry) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("nosplit.json"), R"({"train": []})");
  EXPECT_NE(error_of(dir.file("nosplit.json"))
                .find("no \"test\" array of questions (the file has "
                      "\"train\")"),
            std::string::npos)
      << error_of(dir.file("nosplit.json"));
  rrg::testing::write_file(
      dir.file("noimage.json"),
      R"({"test": [{"id": "a", "content": [{"type": "text", "text": "x"}]}]})");
  EXPECT_NE(error_of(dir.file("noimage.json")).find("test[0]: the question has no image"),
            std::string::npos);
  rrg::testing::write_file(dir.file("dup.json"), R"({"test": [
    {"id": "a", "content": [{"type": "image", "image": "x.png"}]},
    {"id": "a", "content": [{"type": "image", "image": "y.png"}]}]})");
  EXPECT_NE(error_of(dir.file("dup.json")).find("test[1]: study id \"a\" is used twice (first at"),
            std::string::npos)
      << error_of(dir.file("dup.json"));
  rrg::testing::write_file(dir.file("broken.json"), "{\"test\": [\n  {\"id\": }\n]}");
  EXPECT_NE(error_of(dir.file("broken.json")).find("broken.json:2:"), std::string::npos)
      << error_of(dir.file("broken.json"));
  rrg::testing::write_file(dir.file("item.json"),
                           R"({"test": [{"id": "a", "content": [{"type": "video"}]}]})");
  EXPECT_NE(error_of(dir.file("item.json")).find("content items must be"), std::string::npos);
}

}  // namespace
