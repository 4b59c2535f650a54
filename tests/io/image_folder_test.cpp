// Plain image folders as a study source.
#include "rrg/io/datasets/image_folder.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

std::vector<std::string> ids(const rrg::io::StudyList& list) {
  std::vector<std::string> out;
  for (const auto& s : list.studies) out.push_back(s.id);
  return out;
}

void touch(const std::string& path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  rrg::testing::write_file(path, "x");
}

TEST(ImageFolder, PerImageIsRecursiveAndSorted) {
  rrg::testing::TempDir dir;
  for (const char* f : {"b.png", "a.JPG", "sub/c.dcm", "notes.txt", "sub/d.jpeg", "z.dicom"}) {
    touch(dir.file(f));
  }
  const auto list = rrg::io::read_image_folder(dir.path());  // auto: top-level images
  EXPECT_EQ(ids(list), (std::vector<std::string>{"a", "b", "sub/c", "sub/d", "z"}));
  EXPECT_EQ(list.studies[2].images[0].path, dir.file("sub/c.dcm"));
  EXPECT_EQ(list.studies[2].images[0].image_id, "c");
}

TEST(ImageFolder, PerSubfolderGroupsImages) {
  rrg::testing::TempDir dir;
  for (const char* f : {"s2/lat.png", "s2/front.png", "s1/x/only.jpg", "empty/readme.txt"}) {
    touch(dir.file(f));
  }
  const auto list = rrg::io::read_image_folder(dir.path());  // auto: no top-level images
  EXPECT_EQ(ids(list), (std::vector<std::string>{"s1", "s2"}));
  ASSERT_EQ(list.studies[1].images.size(), 2u);
  EXPECT_EQ(list.studies[1].images[0].path, dir.file("s2/front.png"));
  ASSERT_EQ(list.notes.size(), 1u);
  EXPECT_NE(list.notes[0].find("first: empty"), std::string::npos) << list.notes[0];
  // Forcing per-image on the same folder gives one study per file.
  EXPECT_EQ(ids(rrg::io::read_image_folder(dir.path(), rrg::io::FolderLayout::kPerImage)),
            (std::vector<std::string>{"s1/x/only", "s2/front", "s2/lat"}));
}

TEST(ImageFolder, BadInput) {
  rrg::testing::TempDir dir;
  EXPECT_THROW(rrg::io::read_image_folder(dir.file("missing")), rrg::InputError);
  touch(dir.file("a.png"));
  touch(dir.file("a.jpg"));
  try {
    rrg::io::read_image_folder(dir.path());
    ADD_FAILURE() << "duplicate ids accepted";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("\"a\" is used twice"), std::string::npos) << e.what();
  }
  EXPECT_THROW(rrg::io::parse_folder_layout("flat"), rrg::InputError);
  EXPECT_EQ(rrg::io::parse_folder_layout("per-subfolder"), rrg::io::FolderLayout::kPerSubfolder);
}

}  // namespace
