// `rrg compare` through the real binary (issue 11): the p-values of the randomization test and
// the bootstrap intervals equal a Python reference (tests/stats/radeval_ar_reference.py:
// RadEval's AR procedure re-implemented over NLTK's corpus_bleu, and NumPy's RandomState for the
// bootstrap) exactly; values equal `rrg evaluate` on each system alone; results do not depend on
// --threads; bad input is refused with exit 2 and nothing written.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::testing::file_exists;
using rrg::testing::read_file;
using rrg::testing::run_command;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

constexpr std::size_t kIds = 60;

// Three systems of texts written for the tests: a baseline, one that drops words from some
// reports, one that copies the reference for every third sample.
struct Texts {
  std::vector<std::string> references;
  std::vector<std::vector<std::string>> systems;
};

Texts make_texts() {
  const auto& reports = rrg::testing::radiology_reports();
  Texts t;
  t.systems.resize(3);
  for (std::size_t i = 0; i < kIds; ++i) {
    const std::string reference = reports[(i * 7 + 3) % reports.size()];
    const std::string base = reports[i % reports.size()];
    std::string shorter = base.substr(0, base.find(' ', base.size() / 2));
    t.references.push_back(reference);
    t.systems[0].push_back(base);
    t.systems[1].push_back(i % 2 == 0 ? shorter : base);
    t.systems[2].push_back(i % 3 == 0 ? reference : base);
  }
  return t;
}

std::string jsonl(const std::vector<std::string>& texts) {
  std::string out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    out += json{{"id", "s" + std::to_string(i)}, {"report", texts[i]}}.dump() + "\n";
  }
  return out;
}

class CliCompare : public ::testing::Test {
 protected:
  void SetUp() override {
    texts_ = make_texts();
    write_file(dir_.file("ref.jsonl"), jsonl(texts_.references));
    for (std::size_t s = 0; s < 3; ++s) {
      write_file(dir_.file(names_[s] + ".jsonl"), jsonl(texts_.systems[s]));
    }
  }
  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> a{"compare", "--ref", dir_.file("ref.jsonl")};
    for (const auto& name : names_) {
      a.push_back("--sys");
      a.push_back(name + "=" + dir_.file(name + ".jsonl"));
    }
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  Texts texts_;
  const std::vector<std::string> names_{"base", "short", "copy"};
  TempDir dir_;
};

TEST_F(CliCompare, PValuesAndIntervalsEqualThePythonReference) {
  const std::vector<std::string> metrics{"BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4"};
  json request;
  request["references"] = texts_.references;
  request["systems"] = json::array();
  for (std::size_t s = 0; s < 3; ++s) {
    request["systems"].push_back({{"name", names_[s]}, {"outputs", texts_.systems[s]}});
  }
  request["metrics"] = {"nltk-bleu-1", "nltk-bleu-2", "nltk-bleu-3", "nltk-bleu-4"};
  request["trials"] = 200;
  request["seed"] = 12345;
  request["bootstrap"] = 100;
  request["ci"] = 95;
  request["bootstrap_seed"] = 12345;
  write_file(dir_.file("request.json"), request.dump());
  const auto python = run_command(
      {"/usr/bin/python3", rrg::testing::source_dir() + "/tests/stats/radeval_ar_reference.py",
       dir_.file("request.json")});
  if (python.exit_code != 0 && python.err.find("No module named") != std::string::npos) {
    GTEST_SKIP() << "python3-nltk / python3-numpy missing: " << python.err;
  }
  if (python.exit_code == 127) GTEST_SKIP() << "no /usr/bin/python3";
  ASSERT_EQ(python.exit_code, 0) << python.err;
  const json expected = json::parse(python.out);

  for (const char* convention : {"radeval", "noreen"}) {
    const auto r = run_rrg(args({"--metrics", "BLEU-1,BLEU-2,BLEU-3,BLEU-4", "--labeler", "none",
                                 "--no-clean", "--ar-trials", "200", "--bootstrap", "100",
                                 "--ar-pvalue", convention, "--json", "-"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json doc = json::parse(r.out);
    EXPECT_EQ(doc["baseline"], "base");
    EXPECT_EQ(doc["n_samples"], kIds);
    for (std::size_t s = 0; s < 3; ++s) {
      for (std::size_t m = 0; m < metrics.size(); ++m) {
        const std::string key = request["metrics"][m];
        const json& cell = doc["systems"][names_[s]][metrics[m]];
        const std::string where = names_[s] + " " + metrics[m] + " " + convention;
        EXPECT_EQ(cell["value"].get<double>(), expected["scores"][names_[s]][key].get<double>())
            << where;
        const json& interval = expected["bootstrap"][names_[s]][key];
        EXPECT_EQ(cell["ci_low"].get<double>(), interval["ci_low"].get<double>()) << where;
        EXPECT_EQ(cell["ci_high"].get<double>(), interval["ci_high"].get<double>()) << where;
        if (s == 0) {
          EXPECT_TRUE(cell["p_value"].is_null()) << where;
          EXPECT_TRUE(cell["diff_ci_low"].is_null()) << where;
          continue;
        }
        EXPECT_EQ(cell["p_value"].get<double>(),
                  expected["ar"][names_[s]][key][convention].get<double>())
            << where;
        EXPECT_EQ(cell["diff_ci_low"].get<double>(), interval["diff_ci_low"].get<double>())
            << where;
        EXPECT_EQ(cell["diff_ci_high"].get<double>(), interval["diff_ci_high"].get<double>())
            << where;
      }
    }
    EXPECT_EQ(doc["signatures"]["BLEU-4"]["ar"],
              std::string("ar:200|seed:12345|pvalue:") + convention);
    EXPECT_EQ(doc["signatures"]["BLEU-4"]["bootstrap"],
              "bootstrap:100|ci:95|seed:12345|rng:numpy-randomstate");
  }
}

TEST_F(CliCompare, ValuesEqualEvaluateAndResultsDoNotDependOnThreads) {
  std::vector<json> docs;
  for (const char* threads : {"1", "2", "3"}) {
    const auto r = run_rrg(
        args({"--ar-trials", "300", "--bootstrap", "100", "--threads", threads, "--json", "-"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json doc = json::parse(r.out);
    doc.erase("timings_seconds");
    doc["inputs"].erase("command");
    docs.push_back(doc);
  }
  EXPECT_EQ(docs[0], docs[1]);
  EXPECT_EQ(docs[0], docs[2]);
  // Every metric with a corpus value, clinical ones included (rules labeler by default).
  const json& copy = docs[0]["systems"]["copy"];
  EXPECT_TRUE(copy.contains("CIDEr"));
  EXPECT_TRUE(copy.contains("METEOR"));
  EXPECT_TRUE(copy.contains("chexpert_micro_f1_14_uzeros"));
  EXPECT_TRUE(copy.contains("chexpert_table_f1_edema"));
  EXPECT_TRUE(copy["chexpert_micro_f1_14_uzeros"]["p_value"].is_number());

  const auto evaluate = run_rrg({"evaluate", "--pred", dir_.file("copy.jsonl"), "--ref",
                                 dir_.file("ref.jsonl"), "--json", "-"});
  ASSERT_EQ(evaluate.exit_code, 0) << evaluate.err;
  const json alone = json::parse(evaluate.out)["corpus"];
  for (const auto& [name, cell] : copy.items()) {
    ASSERT_TRUE(alone.contains(name)) << name;
    EXPECT_EQ(cell["value"], alone[name]) << name;
  }
}

TEST_F(CliCompare, TableFilesAndLayouts) {
  const auto r = run_rrg(
      args({"--metrics", "BLEU-4,METEOR,chexpert_micro_f1_14_uzeros", "--ar-trials", "200",
            "--bootstrap", "50", "--out-dir", dir_.file("out"), "--layout", "systems-as-rows"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("base (baseline)"), std::string::npos) << r.out;
  EXPECT_LT(r.out.find("base (baseline)"), r.out.find("short"));
  EXPECT_NE(r.out.find("ar:200|seed:12345|pvalue:radeval"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("BLEU-4|conv:nltk-3.8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("*"), std::string::npos) << r.out;  // "copy" is significantly better
  const std::string csv = read_file(dir_.file("out/compare.csv"));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "system,metric,value,p_value,ci_low,ci_high,diff_ci_low,diff_ci_high");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 3 * 3);
  EXPECT_TRUE(file_exists(dir_.file("out/compare.xlsx")));
  const json doc = json::parse(read_file(dir_.file("out/compare.json")));
  EXPECT_EQ(doc["systems"].size(), 3u);

  const auto rows = run_rrg(args({"--metrics", "BLEU-4,METEOR", "--ar-trials", "50", "--bootstrap",
                                  "0", "--layout", "metrics-as-rows"}));
  ASSERT_EQ(rows.exit_code, 0) << rows.err;
  EXPECT_NE(rows.out.find("\nBLEU-4 "), std::string::npos) << rows.out;
  EXPECT_NE(rows.out.find("\nMETEOR "), std::string::npos) << rows.out;
  EXPECT_EQ(rows.out.find("bootstrap:"), std::string::npos) << rows.out;
}

TEST_F(CliCompare, MissingSkipComparesTheCommonIds) {
  std::string fewer = jsonl(texts_.systems[1]);
  fewer = fewer.substr(fewer.find('\n') + 1);  // without s0
  write_file(dir_.file("short.jsonl"), fewer);
  const auto refused = run_rrg(args({"--ar-trials", "10", "--json", dir_.file("c.json")}));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("ids differ"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("59 ids are common"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--missing skip"), std::string::npos) << refused.err;
  EXPECT_FALSE(file_exists(dir_.file("c.json")));

  const auto r = run_rrg(
      args({"--missing", "skip", "--metrics", "BLEU-4", "--ar-trials", "10", "--json", "-"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("comparing on the 59 ids"), std::string::npos) << r.err;
  EXPECT_EQ(json::parse(r.out)["n_samples"], 59);
}

TEST_F(CliCompare, BadInputIsRefusedWithNothingWritten) {
  const std::string out = dir_.file("never");
  const auto expect_refused = [&](const std::vector<std::string>& a, const std::string& text) {
    std::vector<std::string> full = a;
    full.insert(full.end(), {"--out-dir", out, "--json", out + ".json"});
    const auto r = run_rrg(full);
    EXPECT_EQ(r.exit_code, 2) << text << "\n" << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
    EXPECT_FALSE(file_exists(out));
    EXPECT_FALSE(file_exists(out + ".json"));
  };
  const std::string ref = dir_.file("ref.jsonl");
  const std::string a = "a=" + dir_.file("base.jsonl"), b = "b=" + dir_.file("short.jsonl");
  expect_refused({"compare", "--ref", ref, "--sys", a}, "at least two systems");
  expect_refused({"compare", "--ref", ref, "--sys", a, "--sys", "a=" + dir_.file("copy.jsonl")},
                 "'a' is given twice");
  expect_refused({"compare", "--ref", ref, "--sys", a, "--sys", b, "--baseline", "c"},
                 "--baseline 'c' is not one of the systems");
  expect_refused({"compare", "--ref", ref, "--sys", a, "--sys", b, "--ar-trials", "0"},
                 "--ar-trials must be at least 1");
  expect_refused({"compare", "--ref", ref, "--sys", a, "--sys", dir_.file("short.jsonl")},
                 "--sys takes NAME=FILE");
  expect_refused({"compare", "--ref", ref, "--sys", a, "--sys", b, "--seed", "4294967296"},
                 "Seed must be between 0 and 2**32 - 1");
}

TEST_F(CliCompare, BaselineFlagPutsTheChosenSystemFirst) {
  const auto r = run_rrg(
      args({"--baseline", "copy", "--metrics", "BLEU-4", "--ar-trials", "20", "--json", "-"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["baseline"], "copy");
  EXPECT_TRUE(doc["systems"]["copy"]["BLEU-4"]["p_value"].is_null());
  EXPECT_TRUE(doc["systems"]["base"]["BLEU-4"]["p_value"].is_number());
}

}  // namespace
