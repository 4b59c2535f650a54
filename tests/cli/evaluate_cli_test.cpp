// The real rrg binary: exit codes, stdout, error text and output files of `rrg evaluate`.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace {

using nlohmann::json;
using rrg::testing::read_file;
using rrg::testing::run_rrg;
using rrg::testing::TempDir;
using rrg::testing::write_file;

const std::string kExamples = rrg::testing::source_dir() + "/examples";
const std::vector<std::string> kAllKeys = {"Bleu_1",  "Bleu_2", "Bleu_3",  "Bleu_4",
                                           "ROUGE_L", "CIDEr",  "BLEU-1",  "BLEU-2",
                                           "BLEU-3",  "BLEU-4", "ROUGE-L", "METEOR"};

TEST(CliHelp, TopLevelHelpListsSubcommands) {
  const auto r = run_rrg({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("evaluate"), std::string::npos);
}

TEST(CliHelp, NoSubcommandIsAUsageError) {
  const auto r = run_rrg({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("A subcommand is required"), std::string::npos);
}

TEST(CliHelp, VersionNamesFeatures) {
  const auto r = run_rrg({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("rrg 0."), std::string::npos);
  EXPECT_NE(r.out.find("features:"), std::string::npos);
}

TEST(CliEvaluate, PrintsTableWithEveryMetricAndSignature) {
  const auto r =
      run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref", kExamples + "/ref.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& key : kAllKeys) {
    EXPECT_NE(r.out.find("\n  " + key + "|"), std::string::npos) << "signature of " << key;
  }
  EXPECT_NE(r.out.find("24 samples"), std::string::npos);
}

TEST(CliEvaluate, JsonHasExactlyTheDocumentedKeys) {
  TempDir dir;
  const auto r =
      run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref", kExamples + "/ref.jsonl",
               "--json", dir.file("m.json"), "--quiet", "--labeler", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  const auto doc = nlohmann::ordered_json::parse(read_file(dir.file("m.json")));
  std::vector<std::string> corpus_keys;
  for (const auto& [k, v] : doc["corpus"].items()) corpus_keys.push_back(k);
  EXPECT_EQ(corpus_keys, kAllKeys);
  EXPECT_EQ(doc["n_samples"], 24);
  EXPECT_EQ(doc["n_valid"], 24);
  EXPECT_EQ(doc["per_sample"].size(), 24u);
  EXPECT_TRUE(doc["per_sample"]["cxr-001"].contains("METEOR"));
  for (const char* key : {"signatures", "signature_fields", "timings_seconds", "inputs"}) {
    EXPECT_TRUE(doc.contains(key)) << key;
  }
  EXPECT_EQ(doc["signature_fields"]["METEOR"]["family"], "seed");
}

TEST(CliEvaluate, SeedJsonFilesGiveTheSameNumbersAsJsonl) {
  TempDir dir;
  ASSERT_EQ(
      run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref", kExamples + "/ref.jsonl",
               "--json", dir.file("a.json"), "-q", "--labeler", "none"})
          .exit_code,
      0);
  ASSERT_EQ(run_rrg({"evaluate", "--pred", kExamples + "/seed_output.json", "--ref",
                     kExamples + "/seed_annotation.json", "--json", dir.file("b.json"), "-q",
                     "--labeler", "none"})
                .exit_code,
            0);
  const json a = json::parse(read_file(dir.file("a.json")));
  const json b = json::parse(read_file(dir.file("b.json")));
  EXPECT_EQ(a["corpus"], b["corpus"]);
  EXPECT_EQ(a["per_sample"], b["per_sample"]);
}

TEST(CliEvaluate, MetricsSelectsASubsetInRegistryOrder) {
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--metrics", "METEOR,Bleu_4", "--json", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::ordered_json::parse(r.out);
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc["corpus"].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"Bleu_4", "METEOR"}));
}

TEST(CliEvaluate, OutDirWritesJsonCsvAndXlsx) {
  TempDir dir;
  const auto r =
      run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref", kExamples + "/ref.jsonl",
               "--out-dir", dir.file("out"), "-q", "--labeler", "none"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(read_file(dir.file("out/pred_metrics.json")));
  EXPECT_EQ(doc["n_samples"], 24);
  const std::string csv = read_file(dir.file("out/pred_per_sample.csv"));
  EXPECT_EQ(
      csv.substr(0, csv.find('\n')),
      "id,Bleu_1,Bleu_2,Bleu_3,Bleu_4,ROUGE_L,CIDEr,BLEU-1,BLEU-2,BLEU-3,BLEU-4,ROUGE-L,METEOR");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 25);
  const std::string xlsx = read_file(dir.file("out/pred_metrics.xlsx"));
  EXPECT_EQ(xlsx.substr(0, 2), "PK");  // an OOXML zip container
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.file("out")),
                          std::filesystem::directory_iterator()),
            3);
}

TEST(CliEvaluateErrors, MalformedInputExitsTwoAndWritesNothing) {
  TempDir dir;
  write_file(dir.file("p.jsonl"),
             "{\"id\": \"a\", \"report\": \"x\"}\n{\"id\": \"b\", \"report\": \"y\"\n");
  const auto r =
      run_rrg({"evaluate", "--pred", dir.file("p.jsonl"), "--ref", kExamples + "/ref.jsonl",
               "--json", dir.file("m.json"), "--out-dir", dir.file("out")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("rrg: " + dir.file("p.jsonl") + ":2:", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one clear message";
  EXPECT_FALSE(rrg::testing::file_exists(dir.file("m.json")));
  EXPECT_FALSE(rrg::testing::file_exists(dir.file("out")));
}

TEST(CliEvaluateErrors, UnknownMetricSuggestsACloseName) {
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--metrics", "BLUE-4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown metric 'BLUE-4' (did you mean 'BLEU-4'"), std::string::npos)
      << r.err;
}

TEST(CliEvaluateErrors, MissingIdsAreNamedAndSkipWorks) {
  TempDir dir;
  write_file(dir.file("p.jsonl"),
             "{\"id\": \"cxr-001\", \"report\": \"lungs are clear\"}\n"
             "{\"id\": \"nope\", \"report\": \"x\"}\n");
  auto r = run_rrg({"evaluate", "--pred", dir.file("p.jsonl"), "--ref", kExamples + "/ref.jsonl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("1 prediction id has no reference (first: \"nope\")"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("23 reference ids have no prediction"), std::string::npos) << r.err;
  r = run_rrg({"evaluate", "--pred", dir.file("p.jsonl"), "--ref", kExamples + "/ref.jsonl",
               "--missing", "skip", "--json", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["n_samples"], 1);
  EXPECT_NE(r.err.find("warning"), std::string::npos);
}

TEST(CliEvaluateErrors, UnreadableAndEmptyFiles) {
  TempDir dir;
  auto r =
      run_rrg({"evaluate", "--pred", dir.file("none.jsonl"), "--ref", kExamples + "/ref.jsonl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("none.jsonl: cannot read (No such file or directory)"), std::string::npos);
  write_file(dir.file("empty.jsonl"), "");
  r = run_rrg({"evaluate", "--pred", dir.file("empty.jsonl"), "--ref", kExamples + "/ref.jsonl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("empty.jsonl: the file is empty (no reports)"), std::string::npos);
}

TEST(CliEvaluateErrors, InvalidUtf8AndBadFlags) {
  TempDir dir;
  write_file(dir.file("p.txt"), "fine\nbroken \xC3\x28 text\n");
  auto r = run_rrg({"evaluate", "--pred", dir.file("p.txt"), "--ref", dir.file("p.txt")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p.txt:2:8: invalid UTF-8"), std::string::npos) << r.err;
  r = run_rrg({"evaluate", "--pred", "a", "--ref", "b", "--clean", "r2gen-xx"});
  EXPECT_EQ(r.exit_code, 2);
  r = run_rrg({"evaluate", "--pred", "a", "--ref", "b", "--missing", "sometimes"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliEvaluate, EmptyPredictionsAreValidInput) {
  TempDir dir;
  write_file(dir.file("p.txt"), "\nno pleural effusion\n");
  write_file(dir.file("r.txt"), "no pleural effusion\nno pleural effusion\n");
  const auto r =
      run_rrg({"evaluate", "--pred", dir.file("p.txt"), "--ref", dir.file("r.txt"), "--json", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["n_samples"], 2);
  EXPECT_EQ(doc["n_valid"], 1);
  EXPECT_EQ(doc["per_sample"]["1"]["BLEU-4"], 0.0);
  EXPECT_EQ(doc["per_sample"]["2"]["METEOR"].get<double>() > 0.9, true);
}

// Issue 3: the default labeler adds the clinical family to every output.
TEST(CliEvaluateClinical, DefaultRulesLabelerAddsClinicalKeysColumnsAndSheet) {
  TempDir dir;
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--out-dir", dir.file("out")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Clinical: CheXpert observations by labeler rules@"), std::string::npos);
  EXPECT_NE(r.out.find("Macro ("), std::string::npos);
  const json doc = json::parse(read_file(dir.file("out/pred_metrics.json")));
  for (const char* key : {"chexpert_micro_f1_14_uzeros", "chexpert_macro_recall_5_uones",
                          "chexpert_weighted_precision_14_uzeros", "chexpert_example_f1_uones",
                          "chexpert_table_auc_pleural_effusion", "chexpert_table_macro_auc"}) {
    EXPECT_TRUE(doc["corpus"].contains(key)) << key;
    EXPECT_NE(doc["signatures"][key].get<std::string>().find("labeler:rules@"), std::string::npos);
  }
  EXPECT_TRUE(doc["corpus"]["chexpert_table_auc_pneumonia"].is_null());  // no positive reference
  EXPECT_TRUE(doc["per_sample"]["cxr-003"].contains("n_agree"));
  EXPECT_EQ(doc["clinical"]["n_excluded"], 0);
  const std::string csv = read_file(dir.file("out/pred_per_sample.csv"));
  const std::string header = csv.substr(0, csv.find('\n'));
  for (const char* column : {"pred_raw_cardiomegaly", "gt_raw_pleural_effusion", "pred_no_finding",
                             "gt_support_devices", "n_agree", "n_disagree"}) {
    EXPECT_NE(header.find(column), std::string::npos) << column;
  }
}

// Impossible combinations are refused before any file is read (issue 17): the files here do
// not exist, and the message is about the flags.
TEST(CliEvaluateClinical, BadCombinationsAreRefusedBeforeFilesAreRead) {
  const auto similarity = run_rrg({"evaluate", "--pred", "/nonexistent/p.jsonl", "--ref",
                                   "/nonexistent/r.jsonl", "--metrics", "chexbert_similarity"});
  EXPECT_EQ(similarity.exit_code, 2);
  EXPECT_NE(similarity.err.find("needs --labeler chexbert"), std::string::npos) << similarity.err;
  const auto labeler = run_rrg({"evaluate", "--pred", "/nonexistent/p.jsonl", "--ref",
                                "/nonexistent/r.jsonl", "--labeler", "rulez"});
  EXPECT_EQ(labeler.exit_code, 2);
  EXPECT_NE(labeler.err.find("did you mean 'rules'"), std::string::npos) << labeler.err;
  const auto metric = run_rrg({"evaluate", "--pred", "/nonexistent/p.jsonl", "--ref",
                               "/nonexistent/r.jsonl", "--metrics", "METEROR"});
  EXPECT_EQ(metric.exit_code, 2);
  EXPECT_NE(metric.err.find("did you mean 'METEOR'"), std::string::npos) << metric.err;
}

TEST(CliEvaluateClinical, ClinicalMetricsNeedALabeler) {
  const auto r =
      run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref", kExamples + "/ref.jsonl",
               "--labeler", "none", "--metrics", "chexpert_micro_f1_14_uzeros"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs a labeler"), std::string::npos) << r.err;
}

TEST(CliEvaluateClinical, UnknownLabelerIsAUsageError) {
  const auto r = run_rrg({"evaluate", "--pred", kExamples + "/pred.jsonl", "--ref",
                          kExamples + "/ref.jsonl", "--labeler", "ruels"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown labeler 'ruels'"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// rrg's start-up stays fast because OpenCV, DCMTK and libtorch live in modules loaded on first
// use (librrg_image.so, librrg_torch.so), never linked into the binary itself.
TEST(CliStartup, BinaryDoesNotLinkHeavyLibraries) {
  const auto r = rrg::testing::run_command({"ldd", RRG_EXECUTABLE});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* library : {"libopencv", "libdcm", "libtorch", "libc10"}) {
    EXPECT_EQ(r.out.find(library), std::string::npos) << library << " is linked into rrg";
  }
}

TEST(CliStartup, MissingImageModuleIsExplained) {
  TempDir dir;
  write_file(dir.file("studies.jsonl"),
             "{\"id\": \"s1\", \"images\": [\"" + dir.file("x.png") + "\"]}\n");
  write_file(dir.file("x.png"), "not really a png");
  const auto r =
      run_rrg({"generate", "--studies", dir.file("studies.jsonl"), "--base-url",
               "http://127.0.0.1:9/v1", "--model", "m", "-o", dir.file("out.jsonl"), "--no-cache"},
              "", {"RRG_IMAGE_MODULE=" + dir.file("missing/librrg_image.so")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("image module (OpenCV, DCMTK) was not found at " +
                       dir.file("missing/librrg_image.so")),
            std::string::npos)
      << r.err;
}

}  // namespace
