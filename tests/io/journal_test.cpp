// The crash-safe JSONL journal (src/io/journal.cpp): resume skips finished ids, a torn last line
// is removed and reported, corruption elsewhere is refused without touching the file, failed
// records are retried, ids are never appended twice, and one process at a time.
#include "rrg/io/journal.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace rrg::io {
namespace {

using rrg::testing::read_file;
using rrg::testing::TempDir;
using rrg::testing::write_file;

TEST(Journal, AppendsAndResumes) {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  {
    Journal journal(path);
    EXPECT_EQ(journal.size(), 0u);
    EXPECT_EQ(journal.resume_info().message, "");
    journal.append("a", R"({"id":"a","labels":{}})");
    journal.append("7", R"({"id":7,"labels":{}})");
  }
  EXPECT_EQ(read_file(path), "{\"id\":\"a\",\"labels\":{}}\n{\"id\":7,\"labels\":{}}\n");
  Journal journal(path);
  EXPECT_TRUE(journal.contains("a"));
  EXPECT_TRUE(journal.contains("7"));  // numeric ids compare by their JSON text
  EXPECT_FALSE(journal.contains("b"));
  EXPECT_EQ(journal.resume_info().records, 2u);
  EXPECT_NE(journal.resume_info().message.find("resuming after 2 finished records"),
            std::string::npos);
  journal.append("b", R"({"id":"b"})");
  EXPECT_EQ(journal.size(), 3u);
}

TEST(Journal, RefusesToAppendAnIdTwice) {
  TempDir dir;
  Journal journal(dir.file("out.jsonl"));
  journal.append("a", R"({"id":"a"})");
  EXPECT_THROW(journal.append("a", R"({"id":"a"})"), std::logic_error);
  EXPECT_THROW(journal.append("n", "{\"id\":\"n\",\n}"), std::logic_error);
  journal.close();
  EXPECT_EQ(read_file(dir.file("out.jsonl")), "{\"id\":\"a\"}\n");
}

TEST(Journal, TornLastLineIsRemovedAndReported) {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  write_file(path, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"lab");
  Journal journal(path);
  EXPECT_EQ(journal.size(), 2u);
  EXPECT_FALSE(journal.contains("c"));
  EXPECT_EQ(journal.resume_info().torn_line, 3u);
  EXPECT_EQ(journal.resume_info().torn_bytes, 14u);
  EXPECT_NE(journal.resume_info().message.find(
                "removed an incomplete last record (line 3, 14 bytes) left by an interrupted run"),
            std::string::npos)
      << journal.resume_info().message;
  journal.append("c", R"({"id":"c"})");
  journal.close();
  EXPECT_EQ(read_file(path), "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n");
}

TEST(Journal, GarbageLastLineAfterPowerLossIsRemoved) {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  write_file(path, std::string("{\"id\":\"a\"}\n") + std::string(8, '\0') + "\n");
  Journal journal(path);
  EXPECT_EQ(journal.size(), 1u);
  EXPECT_EQ(journal.resume_info().torn_line, 2u);
  journal.close();
  EXPECT_EQ(read_file(path), "{\"id\":\"a\"}\n");
}

TEST(Journal, CompleteRecordWithoutNewlineIsKept) {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  write_file(path, "{\"id\":\"a\"}\n{\"id\":\"b\"}");
  {
    Journal journal(path);
    EXPECT_EQ(journal.size(), 2u);
    EXPECT_EQ(journal.resume_info().torn_line, 0u);
    journal.append("c", R"({"id":"c"})");
  }
  EXPECT_EQ(read_file(path), "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n");
}

TEST(Journal, CorruptMiddleLineIsAnErrorAndTheFileIsUntouched) {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  const std::string content = "{\"id\":\"a\"}\n{broken\n{\"id\":\"c\"}\n";
  write_file(path, content);
  try {
    Journal journal(path);
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("out.jsonl:2: not a JSON object"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(read_file(path), content);
}

TEST(Journal, RecordWithoutIdIsAnError) {
  TempDir dir;
  write_file(dir.file("out.jsonl"), "{\"report\":\"x\"}\n");
  EXPECT_THROW(Journal(dir.file("out.jsonl")), InputError);
}

TEST(Journal, ForeignFileIsNotTruncated) {
  TempDir dir;
  write_file(dir.file("notes.txt"), "my precious notes without a newline");
  EXPECT_THROW(Journal(dir.file("notes.txt")), InputError);
  EXPECT_EQ(read_file(dir.file("notes.txt")), "my precious notes without a newline");
}

TEST(Journal, FailedRecordsAreRetriedByDefault) {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  const std::string content =
      "{\"id\":\"a\"}\n{\"id\":\"b\",\"error\":\"HTTP 503\"}\n{\"id\":\"c\",\"error\":null}\n";
  write_file(path, content);
  {
    Journal keep(path, JournalOptions{/*retry_failed=*/false});
    EXPECT_TRUE(keep.contains("b"));
  }
  EXPECT_EQ(read_file(path), content);
  Journal journal(path);
  EXPECT_FALSE(journal.contains("b"));
  EXPECT_TRUE(journal.contains("c"));
  EXPECT_EQ(journal.resume_info().failed_dropped, 1u);
  EXPECT_NE(journal.resume_info().message.find("1 failed records removed and will be retried"),
            std::string::npos);
  journal.append("b", R"({"id":"b"})");
  journal.close();
  EXPECT_EQ(read_file(path), "{\"id\":\"a\"}\n{\"id\":\"c\",\"error\":null}\n{\"id\":\"b\"}\n");
}

TEST(Journal, OneWriterAtATime) {
  TempDir dir;
  Journal first(dir.file("out.jsonl"));
  try {
    Journal second(dir.file("out.jsonl"));
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is being written by another rrg process"),
              std::string::npos);
  }
  first.close();
  Journal third(dir.file("out.jsonl"));  // the lock is released on close
}

TEST(Journal, MissingDirectoryIsAnInputError) {
  EXPECT_THROW(Journal("/nonexistent-dir/out.jsonl"), InputError);
}

}  // namespace
}  // namespace rrg::io
