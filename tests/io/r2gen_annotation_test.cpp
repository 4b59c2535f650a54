// R2Gen annotation.json as a study source.
#include "rrg/io/datasets/r2gen_annotation.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

constexpr const char* kAnnotation = R"({
  "train": [{"id": "CXR1_1_IM-0001", "report": "Normal.", "image_path": ["CXR1/0.png", "CXR1/1.png"], "split": "train"}],
  "val": [],
  "test": [
    {"id": "CXR2_IM-0002", "report": "The heart is normal.", "image_path": ["CXR2/0.png", "CXR2/1.png"], "split": "test"},
    {"id": "CXR3_IM-0003", "report": "No effusion.", "image_path": ["CXR3/0.png"], "split": "test"}]})";

TEST(R2GenAnnotation, ReadsTheChosenSplit) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("annotation.json"), kAnnotation);
  const auto list =
      rrg::io::read_r2gen_annotation(dir.file("annotation.json"), "/iu/images", "test");
  ASSERT_EQ(list.studies.size(), 2u);
  EXPECT_EQ(list.studies[0].id, "CXR2_IM-0002");
  ASSERT_EQ(list.studies[0].images.size(), 2u);
  EXPECT_EQ(list.studies[0].images[1].path, "/iu/images/CXR2/1.png");
  EXPECT_EQ(list.studies[0].reference, "The heart is normal.");
  EXPECT_EQ(list.studies[1].images.size(), 1u);
  EXPECT_EQ(rrg::io::read_r2gen_annotation(dir.file("annotation.json"), "", "train").studies[0].id,
            "CXR1_1_IM-0001");
  EXPECT_TRUE(
      rrg::io::read_r2gen_annotation(dir.file("annotation.json"), "", "val").studies.empty());
  // MIMIC's name for the validation split finds R2Gen's "val".
  EXPECT_NO_THROW(rrg::io::read_r2gen_annotation(dir.file("annotation.json"), "", "validate"));
}

TEST(R2GenAnnotation, BadInput) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("annotation.json"), kAnnotation);
  try {
    rrg::io::read_r2gen_annotation(dir.file("annotation.json"), "", "dev");
    ADD_FAILURE();
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("(it has \"test\", \"train\", \"val\")"),
              std::string::npos)
        << e.what();
  }
  rrg::testing::write_file(dir.file("bad.json"),
                           R"({"test": [{"id": "a", "report": "x", "image_path": []}]})");
  try {
    rrg::io::read_r2gen_annotation(dir.file("bad.json"), "", "test");
    ADD_FAILURE();
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json: test[0]: field \"image_path\""),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
