// The configuration file (rrg/io/config_file.h, tools/rrg/config_flags.cpp) and --labeler auto,
// through the real binary (issue 10): keys become flag defaults, the command line overrides
// them, [subcommand] tables override the top level, and every mistake names the file and line.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

const char* kPred =
    "{\"id\": \"a\", \"report\": \"Small left pleural effusion. Heart size is normal.\"}\n"
    "{\"id\": \"b\", \"report\": \"The lungs are clear.\"}\n";
const char* kRef =
    "{\"id\": \"a\", \"report\": \"Small left pleural effusion.\"}\n"
    "{\"id\": \"b\", \"report\": \"No acute cardiopulmonary process.\"}\n";

class CliConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_.file("p.jsonl"), kPred);
    write_file(dir_.file("r.jsonl"), kRef);
  }
  rrg::testing::CommandResult evaluate(const std::string& config,
                                       std::vector<std::string> extra_args = {}) {
    write_file(dir_.file("config.toml"), config);
    std::vector<std::string> args{
        "evaluate", "--pred", dir_.file("p.jsonl"), "--ref", dir_.file("r.jsonl"), "--json", "-"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return run_rrg(args, "", {"RRG_CONFIG=" + dir_.file("config.toml")});
  }
  TempDir dir_;
};

TEST_F(CliConfig, KeysAreFlagDefaultsAndTheCommandLineOverridesThem) {
  auto r = evaluate("metrics = [\"BLEU-4\", \"METEOR\"]\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto corpus = json::parse(r.out)["corpus"];
  EXPECT_EQ(corpus.size(), 2u) << corpus.dump();
  EXPECT_TRUE(corpus.contains("BLEU-4") && corpus.contains("METEOR"));

  r = evaluate("metrics = [\"BLEU-4\", \"METEOR\"]\n", {"--metrics", "CIDEr"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  corpus = json::parse(r.out)["corpus"];
  EXPECT_EQ(corpus.size(), 1u) << corpus.dump();
  EXPECT_TRUE(corpus.contains("CIDEr"));
}

TEST_F(CliConfig, SubcommandTablesOverrideTheTopLevel) {
  const auto r = evaluate(
      "metrics = \"BLEU-1\"\n"
      "[evaluate]\n"
      "metrics = \"ROUGE_L\"\n"
      "labeler = \"none\"\n"
      "[annotate]\n"
      "labeler = \"rules\"\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = json::parse(r.out);
  EXPECT_EQ(doc["corpus"].size(), 1u) << doc["corpus"].dump();
  EXPECT_TRUE(doc["corpus"].contains("ROUGE_L"));
  EXPECT_FALSE(doc.contains("clinical"));
}

TEST_F(CliConfig, HelpShowsConfiguredDefaults) {
  write_file(dir_.file("config.toml"), "[generate]\nconcurrency = 48\n");
  const auto r = run_rrg({"generate", "--help"}, "", {"RRG_CONFIG=" + dir_.file("config.toml")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("requests in flight (default: 48, from " + dir_.file("config.toml") + ")"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("requests in flight (default: 16)"), std::string::npos) << r.out;
}

TEST_F(CliConfig, MistakesNameTheFileTheLineAndWhatToDo) {
  auto r = evaluate("\n\nmetircs = \"BLEU-4\"\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("config.toml:3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no subcommand has a flag --metircs"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'metrics'"), std::string::npos) << r.err;

  r = evaluate("[evalute]\nlabeler = \"rules\"\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("[evalute] is not a subcommand"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'evaluate'"), std::string::npos) << r.err;

  r = evaluate("[merge]\nlabeler = \"rules\"\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rrg merge has no flag --labeler"), std::string::npos) << r.err;

  r = evaluate("metrics = [\"BLEU-4\"\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("config.toml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("TOML"), std::string::npos) << r.err;

  r = evaluate("[generate]\nconcurrency = \"many\"\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("config.toml:2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("concurrency"), std::string::npos) << r.err;

  r = evaluate("[evaluate.nested]\nx = 1\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tables do not nest"), std::string::npos) << r.err;
}

TEST_F(CliConfig, AnExplicitConfigThatIsMissingIsAnError) {
  const auto r =
      run_rrg({"evaluate", "--pred", dir_.file("p.jsonl"), "--ref", dir_.file("r.jsonl")}, "",
              {"RRG_CONFIG=" + dir_.file("absent.toml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("absent.toml, which does not exist"), std::string::npos) << r.err;
}

TEST_F(CliConfig, TheDefaultLocationIsUnderXdgConfigHome) {
  ASSERT_EQ(::mkdir(dir_.file("rrg").c_str(), 0700), 0);
  write_file(dir_.file("rrg/config.toml"), "metrics = \"CIDEr\"\n");
  const auto r = run_rrg(
      {"evaluate", "--pred", dir_.file("p.jsonl"), "--ref", dir_.file("r.jsonl"), "--json", "-"},
      "", {"XDG_CONFIG_HOME=" + dir_.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["corpus"].size(), 1u);
}

// --labeler auto (the default) without a CheXbert checkpoint is the rules labeler, and the table
// and the JSON say that the clinical numbers approximate CheXbert.
TEST_F(CliConfig, AutoWithoutCheckpointIsRulesWithItsNote) {
  const auto table =
      run_rrg({"evaluate", "--pred", dir_.file("p.jsonl"), "--ref", dir_.file("r.jsonl")});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("by labeler rules@"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Note: labels from the built-in rules labeler (rules@"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("--labeler chexbert"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("labeler:rules@"), std::string::npos) << table.out;  // signature

  const auto doc = evaluate("");
  ASSERT_EQ(doc.exit_code, 0) << doc.err;
  const auto clinical = json::parse(doc.out)["clinical"];
  EXPECT_EQ(clinical["labeler"].get<std::string>().rfind("rules@", 0), 0u);
  EXPECT_NE(clinical["note"].get<std::string>().find("approximate CheXbert"), std::string::npos);

  const auto annotate =
      run_rrg({"annotate", "--in", dir_.file("r.jsonl"), "--out", dir_.file("l.jsonl")});
  ASSERT_EQ(annotate.exit_code, 0) << annotate.err;
  EXPECT_NE(annotate.err.find("note: labels from the built-in rules labeler"), std::string::npos)
      << annotate.err;
}

// A configured checkpoint makes auto choose CheXbert: here one that does not exist, so the error
// says why CheXbert was chosen and how to choose the rules labeler instead.
TEST_F(CliConfig, AutoWithACheckpointChoosesCheXbert) {
  for (const auto& env :
       {std::vector<std::string>{"RRG_CHEXBERT_CHECKPOINT=" + dir_.file("missing.pth")},
        std::vector<std::string>{"RRG_CONFIG=" + dir_.file("c.toml")}}) {
    write_file(dir_.file("c.toml"), "chexbert-checkpoint = \"" + dir_.file("missing.pth") + "\"\n");
    const auto r =
        run_rrg({"annotate", "--in", dir_.file("r.jsonl"), "--out", dir_.file("l.jsonl")}, "", env);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("missing.pth"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--labeler auto chose chexbert"), std::string::npos) << r.err;
    EXPECT_FALSE(rrg::testing::file_exists(dir_.file("l.jsonl")));
  }
}

}  // namespace
