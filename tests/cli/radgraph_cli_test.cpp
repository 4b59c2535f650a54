// `rrg annotate --labeler radgraph` end to end: a random checkpoint in the real archive layout
// (tests/labelers/radgraph/radgraph_reference.py), one RadGraph annotation per report equal to
// the plain-torch reference's, ids kept in input order, the SQLite cache reused on a second run,
// and bad usage (no checkpoint, a broken archive, CSV output) refused with exit status 2 and no
// output file.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_support.h"

namespace rrg::testing {
namespace {

std::string script() {
  return source_dir() + "/tests/labelers/radgraph/radgraph_reference.py";
}

const std::vector<std::string> kReports = {
    "No acute cardiopulmonary process. Lungs are clear.",
    "There is mild pulmonary edema (left lower lobe), may represent atelectasis or pneumonia.",
    "No acute cardiopulmonary process. Lungs are clear.",
    "Heart size normal: no effusion, no pneumonia.",
};

class RadGraphCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.file("m");
    const CommandResult made =
        run_command({"/usr/bin/python3", script(), "make", dir_, "--archive", "--seed", "1"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::string in;
    for (std::size_t i = 0; i < kReports.size(); ++i) {
      in += nlohmann::json{{"id", "r" + std::to_string(i)}, {"report", kReports[i]}}.dump() + "\n";
    }
    write_file(tmp_.file("in.jsonl"), in);
    write_file(tmp_.file("texts.json"), nlohmann::json(kReports).dump());
    const CommandResult ref = run_command({"/usr/bin/python3", script(), "run", dir_,
                                           tmp_.file("texts.json"), tmp_.file("ref.json")});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    reference_ = nlohmann::json::parse(read_file(tmp_.file("ref.json")));
  }

  std::vector<std::string> args(const std::string& out) {
    return {"annotate",
            "--labeler",
            "radgraph",
            "--radgraph-model",
            dir_ + "/model.tar.gz",
            "--radgraph-tokenizer",
            dir_ + "/tokenizer",
            "--in",
            tmp_.file("in.jsonl"),
            "--out",
            out,
            "--cache",
            tmp_.file("cache.sqlite"),
            "--threads",
            "1"};
  }

  void expect_reference(const std::string& path) {
    std::istringstream lines(read_file(path));
    std::string line;
    std::size_t i = 0;
    for (; std::getline(lines, line); ++i) {
      ASSERT_LT(i, kReports.size());
      const auto j = nlohmann::json::parse(line);
      EXPECT_EQ(j["id"], "r" + std::to_string(i));
      EXPECT_EQ(j["text"], reference_[i]["graph"]["text"]);
      EXPECT_EQ(j["entities"], reference_[i]["graph"]["entities"]) << "report " << i;
      EXPECT_EQ(j["data_split"], "inference");
    }
    EXPECT_EQ(i, kReports.size());
  }

  TempDir tmp_;
  std::string dir_;
  nlohmann::json reference_;
};

TEST_F(RadGraphCliTest, WritesOneReferenceGraphPerReport) {
  const CommandResult r = run_rrg(args(tmp_.file("graphs.jsonl")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("annotated 4 reports (3 distinct texts"), std::string::npos) << r.err;
  expect_reference(tmp_.file("graphs.jsonl"));
  // Second run: from the cache, same bytes, without libtorch (the module path is broken).
  const CommandResult again =
      run_rrg(args(tmp_.file("again.jsonl")), "", {"RRG_TORCH_MODULE=" + tmp_.file("none.so")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_file(tmp_.file("again.jsonl")), read_file(tmp_.file("graphs.jsonl")));
}

TEST_F(RadGraphCliTest, RefusesBadUsageWithoutWritingOutput) {
  auto no_model = args(tmp_.file("x.jsonl"));
  no_model.erase(no_model.begin() + 3, no_model.begin() + 5);  // drop --radgraph-model PATH
  CommandResult r = run_rrg(no_model);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--radgraph-model"), std::string::npos) << r.err;

  write_file(tmp_.file("broken.tar.gz"), "not an archive");
  auto broken = args(tmp_.file("x.jsonl"));
  broken[4] = tmp_.file("broken.tar.gz");
  r = run_rrg(broken);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("broken.tar.gz"), std::string::npos) << r.err;

  r = run_rrg(args(tmp_.file("x.csv")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("JSONL"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("x.jsonl")));
  EXPECT_FALSE(std::filesystem::exists(tmp_.file("x.csv")));
}

}  // namespace
}  // namespace rrg::testing
