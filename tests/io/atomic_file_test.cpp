#include "rrg/io/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::testing::TempDir;

TEST(AtomicFile, CommitReplacesTheTarget) {
  TempDir dir;
  rrg::testing::write_file(dir.file("out.json"), "old");
  rrg::io::write_file_atomically(dir.file("out.json"), "new content");
  EXPECT_EQ(rrg::testing::read_file(dir.file("out.json")), "new content");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(AtomicFile, AnErrorBeforeCommitLeavesNothing) {
  TempDir dir;
  {
    rrg::io::AtomicFile file(dir.file("out.csv"));
    file.write("half of a ");
    // No commit: as if an exception unwound the writer.
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(AtomicFile, MissingDirectoryIsAnInputError) {
  EXPECT_THROW(rrg::io::AtomicFile("/nonexistent-dir/x.json"), rrg::InputError);
}

}  // namespace
