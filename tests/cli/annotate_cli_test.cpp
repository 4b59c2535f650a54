// The real rrg binary: `rrg annotate --labeler rules` outputs, formats and errors (issue 3).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace {

using nlohmann::ordered_json;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

const char* kReports =
    "{\"id\": \"n1\", \"report\": \"The lungs are clear. No pleural effusion or pneumothorax.\"}\n"
    "{\"id\": \"e1\", \"report\": \"Small left pleural effusion. Heart size is enlarged.\"}\n"
    "{\"id\": \"u1\", \"report\": \"Left basilar opacity may represent pneumonia.\"}\n"
    "{\"id\": \"n2\", \"report\": \"The lungs are clear. No pleural effusion or pneumothorax.\"}\n";

TEST(CliAnnotate, WritesJsonlWithAllFourteenObservations) {
  TempDir dir;
  write_file(dir.file("r.jsonl"), kReports);
  const auto r = run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--out", dir.file("l.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("labelled 4 reports (3 distinct texts) with rules@"), std::string::npos)
      << r.err;
  const std::string out = read_file(dir.file("l.jsonl"));
  std::vector<ordered_json> lines;
  std::size_t pos = 0;
  while (pos < out.size()) {
    const std::size_t end = out.find('\n', pos);
    lines.push_back(ordered_json::parse(out.substr(pos, end - pos)));
    pos = end + 1;
  }
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0]["id"], "n1");
  EXPECT_EQ(lines[0]["labels"].size(), 14u);
  EXPECT_EQ(lines[0]["labels"]["No Finding"], 1);
  EXPECT_EQ(lines[0]["labels"]["Pleural Effusion"], 0);
  EXPECT_TRUE(lines[0]["labels"]["Fracture"].is_null());
  EXPECT_EQ(lines[1]["labels"]["Pleural Effusion"], 1);
  EXPECT_EQ(lines[1]["labels"]["Cardiomegaly"], 1);
  EXPECT_TRUE(lines[1]["labels"]["No Finding"].is_null());
  EXPECT_EQ(lines[2]["labels"]["Pneumonia"], -1);
  EXPECT_EQ(lines[3]["labels"], lines[0]["labels"]);
}

TEST(CliAnnotate, CsvFollowsCheXbertsLabeledReportsLayout) {
  TempDir dir;
  write_file(dir.file("r.jsonl"), kReports);
  const auto r = run_rrg(
      {"annotate", "--in", dir.file("r.jsonl"), "--out", dir.file("labeled_reports.csv"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string csv = read_file(dir.file("labeled_reports.csv"));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "Report Impression,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,"
            "Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,"
            "Fracture,Support Devices,No Finding");
  EXPECT_NE(
      csv.find("\nSmall left pleural effusion. Heart size is enlarged.,,1.0,,,,,,,,1.0,,,,\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",-1.0,"), std::string::npos);
  const auto with_ids = run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--out", "-",
                                 "--out-format", "csv", "--csv-ids", "-q"});
  ASSERT_EQ(with_ids.exit_code, 0);
  EXPECT_EQ(with_ids.out.rfind("id,Report Impression,", 0), 0u);
  EXPECT_NE(with_ids.out.find("\ne1,"), std::string::npos);
}

TEST(CliAnnotate, ReadsEveryInputFormat) {
  TempDir dir;
  write_file(dir.file("r.txt"), "No acute cardiopulmonary process.\nRight pneumothorax.\n");
  auto r = run_rrg({"annotate", "--in", dir.file("r.txt"), "--out", "-", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{\"id\":\"2\",\"labels\":"), std::string::npos) << r.out;
  write_file(dir.file("seed.json"), R"({"test": [{"id": "s1", "report": "Cardiomegaly."}]})");
  r = run_rrg({"annotate", "--in", dir.file("seed.json"), "--out", "-", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"Cardiomegaly\":1"), std::string::npos) << r.out;
}

TEST(CliAnnotateErrors, BadInputExitsTwoAndWritesNothing) {
  TempDir dir;
  write_file(dir.file("r.jsonl"),
             "{\"id\": \"a\", \"report\": \"x\"}\n{\"id\": \"a\", \"report\": \"y\"}\n");
  auto r = run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--out", dir.file("l.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("1 duplicated id (first: \"a\" (records 1 and 2))"), std::string::npos)
      << r.err;
  EXPECT_FALSE(rrg::testing::file_exists(dir.file("l.jsonl")));
  r = run_rrg({"annotate", "--in", dir.file("r.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("annotate needs --in REPORTS and --out LABELS"), std::string::npos) << r.err;
  r = run_rrg({"annotate", "--labeler", "chexbret", "--in", dir.file("r.jsonl"), "--out",
               dir.file("l.jsonl")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown labeler 'chexbret'"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// --agreement: the labels against a gold file, paired by id (JSONL) or by position (CheXbert's
// CSV without ids), with the numbers of score_labels.py's conventions.
TEST(CliAnnotate, AgreementWithAGoldFileByIdAndByPosition) {
  TempDir dir;
  write_file(dir.file("r.jsonl"), kReports);
  // Gold: what rules says, except n2's Pleural Effusion is positive (a false negative) and an id
  // the input lacks.
  const auto labelled =
      run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--out", dir.file("l.jsonl"), "-q"});
  ASSERT_EQ(labelled.exit_code, 0) << labelled.err;
  std::string gold;
  std::size_t pos = 0;
  const std::string lines = read_file(dir.file("l.jsonl"));
  while (pos < lines.size()) {
    const std::size_t end = lines.find('\n', pos);
    ordered_json record = ordered_json::parse(lines.substr(pos, end - pos));
    if (record["id"] == "n2") record["labels"]["Pleural Effusion"] = 1;
    gold += record.dump() + "\n";
    pos = end + 1;
  }
  gold += "{\"id\": \"zz\", \"labels\": {\"Edema\": 1}}\n";
  write_file(dir.file("gold.jsonl"), gold);

  const auto r = run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--agreement",
                          dir.file("gold.jsonl"), "--agreement-json", dir.file("a.json"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 reports paired by id; 1 gold ids not labelled"), std::string::npos)
      << r.out;
  const auto a = ordered_json::parse(read_file(dir.file("a.json")));
  // Pleural Effusion: gold positives e1, n2; rules finds e1 only: P 1, R 0.5, F1 2/3.
  EXPECT_EQ(a["per_label"]["Pleural Effusion"]["support_pos"], 2);
  EXPECT_DOUBLE_EQ(a["per_label"]["Pleural Effusion"]["recall"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(a["per_label"]["Pleural Effusion"]["f1"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(a["exact_match_4way"].get<double>(), 55.0 / 56.0);
  EXPECT_EQ(a["n_scored"], 4);
  EXPECT_FALSE(rrg::testing::file_exists(dir.file("l2.jsonl")));

  // CheXbert's layout without ids pairs by position; a row count that differs is refused.
  const auto csv =
      run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--out", dir.file("gold.csv"), "-q"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const auto same =
      run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--agreement", dir.file("gold.csv"), "-q"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("paired by position"), std::string::npos) << same.out;
  EXPECT_NE(same.out.find("4-way exact match 1.0000"), std::string::npos) << same.out;
  const std::string full_csv = read_file(dir.file("gold.csv"));
  // Without its last row: 3 rows for 4 reports.
  write_file(dir.file("short.csv"),
             full_csv.substr(0, full_csv.rfind('\n', full_csv.size() - 2) + 1));
  const auto bad =
      run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--agreement", dir.file("short.csv")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("3 rows for 4 reports"), std::string::npos) << bad.err;

  write_file(dir.file("bad.jsonl"), "{\"id\": \"n1\", \"labels\": {\"Cardiomegally\": 1}}\n");
  const auto typo =
      run_rrg({"annotate", "--in", dir.file("r.jsonl"), "--agreement", dir.file("bad.jsonl")});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("bad.jsonl:1"), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("Cardiomegaly"), std::string::npos) << typo.err;
}

// With ../shared present: the agreement on the real impressions equals score_labels.py's.
TEST(CliAnnotate, AgreementEqualsScoreLabelsOnTheSharedImpressions) {
  const std::string shared = rrg::testing::shared_dir();
  const std::string gold = shared + "/labels/iu_chexbert_dev.jsonl";
  if (shared.empty() || !rrg::testing::file_exists(gold)) GTEST_SKIP() << "../shared is absent";
  TempDir dir;
  const auto r =
      run_rrg({"annotate", "--labeler", "rules", "--in", gold, "--out", dir.file("p.jsonl"),
               "--agreement", gold, "--agreement-json", dir.file("a.json"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto script =
      rrg::testing::run_command({"/usr/bin/python3", shared + "/labels/score_labels.py", gold,
                                 dir.file("p.jsonl"), "--json", dir.file("s.json")});
  if (script.exit_code == 127) GTEST_SKIP() << "no /usr/bin/python3";
  ASSERT_EQ(script.exit_code, 0) << script.err;
  const auto ours = ordered_json::parse(read_file(dir.file("a.json")));
  const auto theirs = ordered_json::parse(read_file(dir.file("s.json")));
  for (const char* key : {"micro_f1_pos", "macro_f1_pos", "exact_match_4way"}) {
    EXPECT_EQ(ours[key].get<double>(), theirs[key].get<double>()) << key;
  }
  for (const auto& [name, per] : theirs["per_label"].items()) {
    for (const char* key : {"precision", "recall", "f1"}) {
      EXPECT_EQ(ours["per_label"][name][key].get<double>(), per[key].get<double>()) << name << key;
    }
    EXPECT_EQ(ours["per_label"][name]["support_pos"], per["support_pos"]) << name;
    EXPECT_EQ(ours["per_label"][name]["weighted_f1_3class"], per["weighted_f1_3class"]) << name;
  }
}

}  // namespace
