// Sharding: FNV-1a against the published test vectors, agreement with the Python one-liner of
// shard.h (run with /usr/bin/python3), completeness and disjointness, and --shard parsing.
#include "rrg/io/shard.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::io::ShardSpec;

TEST(Fnv1a64, PublishedTestVectors) {
  // From the FNV reference test suite (Fowler/Noll/Vo, test_fnv.c, FNV-1a 64-bit).
  EXPECT_EQ(rrg::io::fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(rrg::io::fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(rrg::io::fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(Shard, MatchesTheDocumentedPythonOneLiner) {
  const std::vector<std::string> ids = {"50414267", "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014",
                                        "CXR2384_IM-0942", "p10/s5", "é"};
  for (const auto& id : ids) {
    const auto r =
        rrg::testing::run_command({"/usr/bin/python3", "-c",
                                   "import sys; h=0xcbf29ce484222325\n"
                                   "for b in sys.argv[1].encode(): h=((h^b)*0x100000001b3)%2**64\n"
                                   "print(h % int(sys.argv[2]))",
                                   id, "7"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(std::stoull(r.out), rrg::io::shard_of(id, 7)) << id;
  }
}

TEST(Shard, ShardsPartitionTheIds) {
  constexpr std::uint64_t kShards = 5;
  std::map<std::uint64_t, int> sizes;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = std::to_string(50000000 + i * 37);
    int owners = 0;
    for (std::uint64_t k = 0; k < kShards; ++k) owners += rrg::io::in_shard(id, {k, kShards});
    EXPECT_EQ(owners, 1) << id;  // exactly one shard: complete and disjoint
    ++sizes[rrg::io::shard_of(id, kShards)];
  }
  ASSERT_EQ(sizes.size(), kShards);
  for (const auto& [k, n] : sizes) EXPECT_GT(n, 150) << "shard " << k;  // roughly balanced
  EXPECT_TRUE(rrg::io::in_shard("anything", ShardSpec{}));              // 0/1 keeps everything
}

TEST(ParseShardSpec, ExplicitForm) {
  const ShardSpec spec = rrg::io::parse_shard_spec("3/8");
  EXPECT_EQ(spec.index, 3u);
  EXPECT_EQ(spec.count, 8u);
  EXPECT_EQ(rrg::io::format_shard_spec(spec), "3/8");
  for (const char* bad : {"8/8", "3", "a/b", "-1/4", "1/0", "/4", "1/"}) {
    EXPECT_THROW(rrg::io::parse_shard_spec(bad), rrg::InputError) << bad;
  }
  try {
    rrg::io::parse_shard_spec("8/8");
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("numbered 0..7"), std::string::npos) << e.what();
  }
}

TEST(ParseShardSpec, SlurmForm) {
  std::map<std::string, std::string> env = {
      {"SLURM_ARRAY_TASK_ID", "5"}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "8"}};
  const auto getenv = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  ShardSpec spec = rrg::io::parse_shard_spec("slurm", getenv);
  EXPECT_EQ(rrg::io::format_shard_spec(spec), "4/8");  // --array=1-8: task 5 is shard 4
  env.erase("SLURM_ARRAY_TASK_MIN");
  env["SLURM_ARRAY_TASK_ID"] = "2";
  spec = rrg::io::parse_shard_spec("slurm/4", getenv);
  EXPECT_EQ(rrg::io::format_shard_spec(spec), "2/4");
  env.clear();
  try {
    rrg::io::parse_shard_spec("slurm", getenv);
    ADD_FAILURE() << "no error without Slurm variables";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("SLURM_ARRAY_TASK_ID is not set"), std::string::npos)
        << e.what();
  }
}

}  // namespace
