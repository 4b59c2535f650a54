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

// Output past the 8 MB writeback stretches (started while writing, so the commit's fsync has
// little left): every byte arrives in order, whether written in small pieces, in pieces that
// straddle a stretch, or in one piece.
TEST(AtomicFile, LargeOutputInAnyPiecesIsWrittenWhole) {
  TempDir dir;
  std::string content;
  for (std::size_t i = 0; content.size() < (std::size_t{20} << 20); ++i) {
    content += "{\"id\":\"" + std::to_string(i) + "\",\"labels\":{}}\n";
  }
  for (const std::size_t piece : {std::size_t{4096}, std::size_t{3} << 20, content.size()}) {
    const std::string path = dir.file("out" + std::to_string(piece) + ".jsonl");
    rrg::io::AtomicFile file(path);
    for (std::size_t at = 0; at < content.size(); at += piece) {
      file.write(std::string_view(content).substr(at, piece));
    }
    file.commit();
    EXPECT_TRUE(rrg::testing::read_file(path) == content) << "pieces of " << piece;
  }
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
