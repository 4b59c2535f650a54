// The real rrg binary: `rrg merge` on shard outputs of the generated MIMIC-style tree, with the
// expected ids taken from the same study flags a generate run uses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/mimic_fixture.h"
#include "rrg/io/shard.h"
#include "support/test_support.h"

namespace {

using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

class CliMerge : public ::testing::Test {
 protected:
  void SetUp() override {
    rrg::testing::write_mimic_tree(dir_.file("mimic"));
    // What two shards of `rrg generate --mimic ... --shard K/2` would have written.
    std::string shard[2];
    for (const char* id : {"50000001", "50000002", "50000003"}) {
      shard[rrg::io::shard_of(id, 2)] +=
          std::string("{\"id\":\"") + id + "\",\"output\":\"report " + id + "\"}\n";
    }
    write_file(dir_.file("s0.jsonl"), shard[0]);
    write_file(dir_.file("s1.jsonl"), shard[1]);
  }
  TempDir dir_;
};

TEST_F(CliMerge, CompleteShardsMergeInStudyOrder) {
  const auto r = run_rrg({"merge", "-o", dir_.file("all.jsonl"), "--seed-output",
                          dir_.file("seed.json"), "--mimic", dir_.file("mimic"),
                          "--require-complete", dir_.file("s1.jsonl"), dir_.file("s0.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir_.file("all.jsonl")),
            "{\"id\":\"50000001\",\"output\":\"report 50000001\"}\n"
            "{\"id\":\"50000002\",\"output\":\"report 50000002\"}\n"
            "{\"id\":\"50000003\",\"output\":\"report 50000003\"}\n");
  const auto seed = nlohmann::json::parse(read_file(dir_.file("seed.json")));
  EXPECT_EQ(seed["test"].size(), 3u);
  EXPECT_NE(r.err.find("2 file(s), 3 record(s) read, 3 written, 3 expected"), std::string::npos)
      << r.err;
  // The only warning is the study the view filter skipped, for generate and merge alike.
  EXPECT_NE(r.err.find("1 study of split \"test\" has no image with a view"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("missing"), std::string::npos) << r.err;
}

TEST_F(CliMerge, MissingShardIsReported) {
  auto r = run_rrg({"merge", "-o", dir_.file("all.jsonl"), "--mimic", dir_.file("mimic"),
                    "--missing-ids", dir_.file("missing.txt"), "--report", dir_.file("report.json"),
                    dir_.file("s0.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string missing = read_file(dir_.file("missing.txt"));
  const std::string shard1 = read_file(dir_.file("s1.jsonl"));
  std::size_t lines = 0;
  for (char c : missing) lines += c == '\n';
  EXPECT_EQ(lines, static_cast<std::size_t>(std::count(shard1.begin(), shard1.end(), '\n')));
  EXPECT_NE(r.err.find("id(s) missing from every input"), std::string::npos) << r.err;
  const auto report = nlohmann::json::parse(read_file(dir_.file("report.json")));
  EXPECT_EQ(report["missing"].size(), lines);
  EXPECT_EQ(report["expected"], 3);

  r = run_rrg({"merge", "-o", dir_.file("strict.jsonl"), "--mimic", dir_.file("mimic"),
               "--require-complete", dir_.file("s0.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("the merge is incomplete"), std::string::npos) << r.err;
  EXPECT_FALSE(rrg::testing::file_exists(dir_.file("strict.jsonl")));
}

TEST_F(CliMerge, UsageErrors) {
  auto r = run_rrg({"merge", dir_.file("s0.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("merge needs -o FILE"), std::string::npos) << r.err;
  r = run_rrg({"merge", "-o", dir_.file("x.jsonl"), "--require-complete", dir_.file("s0.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("need the expected ids"), std::string::npos) << r.err;
  r = run_rrg({"merge", "-o", dir_.file("x.jsonl"), "--mimic", dir_.file("mimic"), "--images",
               dir_.file("mimic"), dir_.file("s0.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("several study sources given"), std::string::npos) << r.err;
  r = run_rrg({"merge", "-o", dir_.file("x.jsonl"), dir_.file("nope.jsonl")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
