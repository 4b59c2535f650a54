// Merging shard outputs: byte-exact copies, expected order, duplicates, failures, truncated
// last lines and atomic refusal.
#include "rrg/io/shard_merge.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::io::MergeOptions;

TEST(ShardMerge, CombinesShardsInExpectedOrder) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("s0.jsonl"),
                           "{\"id\": \"c\", \"output\": \"C\"}\n{\"id\":\"a\",\"output\":\"A\"}\n");
  rrg::testing::write_file(dir.file("s1.jsonl"), "{\"id\": \"b\", \"output\": \"B\", \"x\": 1}\n");
  MergeOptions options;
  options.inputs = {dir.file("s0.jsonl"), dir.file("s1.jsonl")};
  options.output = dir.file("out.jsonl");
  options.seed_output = dir.file("seed.json");
  options.expected_ids = {"a", "b", "c", "d"};
  const auto report = rrg::io::merge_shard_outputs(options);
  // Records are copied byte for byte, in the expected order.
  EXPECT_EQ(rrg::testing::read_file(dir.file("out.jsonl")),
            "{\"id\":\"a\",\"output\":\"A\"}\n{\"id\": \"b\", \"output\": \"B\", \"x\": 1}\n"
            "{\"id\": \"c\", \"output\": \"C\"}\n");
  EXPECT_EQ(rrg::testing::read_file(dir.file("seed.json")),
            "{\n  \"test\": [\n    {\n      \"id\": \"a\",\n      \"output\": \"A\"\n    },\n"
            "    {\n      \"id\": \"b\",\n      \"output\": \"B\"\n    },\n    {\n      \"id\": "
            "\"c\",\n      \"output\": \"C\"\n    }\n  ]\n}\n");
  EXPECT_EQ(report.files, 2u);
  EXPECT_EQ(report.records_read, 3u);
  EXPECT_EQ(report.records_written, 3u);
  EXPECT_EQ(report.missing, (std::vector<std::string>{"d"}));
  EXPECT_TRUE(report.duplicated.empty());
}

TEST(ShardMerge, DuplicatesKeepTheLastSuccessAndFailuresAreReported) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("s0.jsonl"),
                           "{\"id\": \"a\", \"output\": \"first\"}\n"
                           "{\"id\": \"b\", \"output\": null, \"error\": \"HTTP 500\"}\n"
                           "{\"id\": \"c\", \"output\": null, \"error\": \"timeout\"}\n");
  rrg::testing::write_file(dir.file("s1.jsonl"),
                           "{\"id\": \"a\", \"output\": \"second\"}\n"
                           "{\"id\": \"b\", \"output\": \"recovered\"}\n"
                           "{\"id\": \"a\", \"output\": null, \"error\": \"late failure\"}\n"
                           "{\"id\": \"z\", \"output\": \"extra\"}\n");
  MergeOptions options;
  options.inputs = {dir.file("s0.jsonl"), dir.file("s1.jsonl")};
  options.output = dir.file("out.jsonl");
  options.seed_output = dir.file("seed.json");
  options.expected_ids = {"a", "b", "c"};
  const auto report = rrg::io::merge_shard_outputs(options);
  EXPECT_EQ(rrg::testing::read_file(dir.file("out.jsonl")),
            "{\"id\": \"a\", \"output\": \"second\"}\n{\"id\": \"b\", \"output\": \"recovered\"}\n"
            "{\"id\": \"c\", \"output\": null, \"error\": \"timeout\"}\n"
            "{\"id\": \"z\", \"output\": \"extra\"}\n");
  EXPECT_EQ(report.duplicated, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(report.failed, (std::vector<std::string>{"c"}));
  EXPECT_EQ(report.unexpected, (std::vector<std::string>{"z"}));
  EXPECT_TRUE(report.missing.empty());
  // The seed file leaves out the failed study.
  EXPECT_EQ(rrg::testing::read_file(dir.file("seed.json")).find("\"c\""), std::string::npos);
}

TEST(ShardMerge, SkipsTheTruncatedLastLineOfAKilledWriter) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("s0.jsonl"),
                           "{\"id\": \"a\", \"output\": \"A\"}\n{\"id\": \"b\", \"outp");
  MergeOptions options;
  options.inputs = {dir.file("s0.jsonl")};
  options.output = dir.file("out.jsonl");
  const auto report = rrg::io::merge_shard_outputs(options);
  EXPECT_EQ(report.truncated_lines, 1u);
  EXPECT_EQ(report.records_written, 1u);
  // The same damage in the middle of a file is an error naming the line.
  rrg::testing::write_file(dir.file("s0.jsonl"),
                           "{\"id\": \"a\", \"outp\n{\"id\": \"b\", \"output\": \"B\"}\n");
  try {
    rrg::io::merge_shard_outputs(options);
    ADD_FAILURE() << "malformed line accepted";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("s0.jsonl:1:"), std::string::npos) << e.what();
  }
  rrg::testing::write_file(dir.file("s0.jsonl"), "{\"output\": \"B\"}\n");
  EXPECT_THROW(rrg::io::merge_shard_outputs(options), rrg::InputError);
}

TEST(ShardMerge, RequireCompleteWritesNothingWhenIncomplete) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("s0.jsonl"), "{\"id\": \"a\", \"output\": \"A\"}\n");
  MergeOptions options;
  options.inputs = {dir.file("s0.jsonl")};
  options.output = dir.file("out.jsonl");
  options.expected_ids = {"a", "b"};
  options.require_complete = true;
  try {
    rrg::io::merge_shard_outputs(options);
    ADD_FAILURE() << "incomplete merge accepted";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1 expected id(s) missing (b)"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(rrg::testing::file_exists(dir.file("out.jsonl")));
}

}  // namespace
