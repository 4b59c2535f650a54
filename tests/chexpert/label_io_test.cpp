// Label rows to and from JSON and CheXbert CSV cells: canonical output, the equivalent spellings
// other tools write, errors that say where and what, and a round trip through the reference
// scorer shared/labels/score_labels.py on real CheXbert labels (skipped without ../shared).
#include "rrg/chexpert/label_io.h"

#include <gtest/gtest.h>

#include <fstream>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::chexpert::Label;
using rrg::chexpert::label_from_csv_cell;
using rrg::chexpert::label_from_json;
using rrg::chexpert::label_row_from_json;
using rrg::chexpert::label_row_to_json;
using rrg::chexpert::LabelRow;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const rrg::InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(LabelJson, WritesAllObservationsInChexpertOrder) {
  LabelRow row = rrg::chexpert::blank_row();
  row[1] = Label::kPositive;
  row[4] = Label::kNegative;
  row[9] = Label::kUncertain;
  EXPECT_EQ(label_row_to_json(row).dump(),
            R"({"Enlarged Cardiomediastinum":null,"Cardiomegaly":1,"Lung Opacity":null,)"
            R"("Lung Lesion":null,"Edema":0,"Consolidation":null,"Pneumonia":null,)"
            R"("Atelectasis":null,"Pneumothorax":null,"Pleural Effusion":-1,)"
            R"("Pleural Other":null,"Fracture":null,"Support Devices":null,"No Finding":null})");
}

TEST(LabelJson, RoundTripsEveryLabel) {
  LabelRow row;
  const Label cycle[] = {Label::kPositive, Label::kNegative, Label::kUncertain, Label::kBlank};
  for (std::size_t k = 0; k < row.size(); ++k) row[k] = cycle[k % 4];
  EXPECT_EQ(label_row_from_json(label_row_to_json(row), "x"), row);
  const nlohmann::json plain = label_row_to_json(row);  // nlohmann::json (sorted keys) works too
  EXPECT_EQ(label_row_from_json(plain, "x"), row);
}

TEST(LabelJson, AcceptsEquivalentSpellings) {
  const auto parse = [](const char* text) {
    return label_from_json(nlohmann::json::parse(text), "test");
  };
  EXPECT_EQ(parse("1"), Label::kPositive);
  EXPECT_EQ(parse("1.0"), Label::kPositive);
  EXPECT_EQ(parse("\"1\""), Label::kPositive);
  EXPECT_EQ(parse("\" 1.0 \""), Label::kPositive);
  EXPECT_EQ(parse("0"), Label::kNegative);
  EXPECT_EQ(parse("-0.0"), Label::kNegative);
  EXPECT_EQ(parse("\"0.0\""), Label::kNegative);
  EXPECT_EQ(parse("-1"), Label::kUncertain);
  EXPECT_EQ(parse("-1.0"), Label::kUncertain);
  EXPECT_EQ(parse("\"-1.0\""), Label::kUncertain);
  EXPECT_EQ(parse("null"), Label::kBlank);
  EXPECT_EQ(parse("\"\""), Label::kBlank);
  EXPECT_EQ(parse("\"NaN\""), Label::kBlank);
  EXPECT_EQ(parse("\"None\""), Label::kBlank);
}

TEST(LabelJson, MissingObservationsAreBlank) {
  const LabelRow row = label_row_from_json(nlohmann::json::parse(R"({"Edema": 1})"), "x");
  for (std::size_t k = 0; k < row.size(); ++k) {
    EXPECT_EQ(row[k], k == 4 ? Label::kPositive : Label::kBlank) << k;
  }
}

TEST(LabelJson, RejectsOtherValuesNamingWhere) {
  for (const char* bad : {"2", "0.5", "true", "\"yes\"", "\"1x\"", "\"0x1\"", "[1]", "{}"}) {
    const std::string message =
        error_of([&] { label_from_json(nlohmann::json::parse(bad), "labels.jsonl:3: \"Edema\""); });
    EXPECT_EQ(message.rfind("labels.jsonl:3: \"Edema\": label value ", 0), 0u) << message;
    EXPECT_NE(message.find("expected 1 positive, 0 negative, -1 uncertain"), std::string::npos)
        << message;
  }
  const std::string nested = error_of(
      [] { label_row_from_json(nlohmann::json::parse(R"({"Edema": 3})"), "labels.jsonl:9"); });
  EXPECT_EQ(nested.rfind("labels.jsonl:9: \"Edema\": label value 3 is not a label", 0), 0u)
      << nested;
}

TEST(LabelJson, UnknownObservationSuggestsTheClosestName) {
  const std::string typo = error_of([] {
    label_row_from_json(nlohmann::json::parse(R"({"Cardiomegally": 1})"), "pred.jsonl:4");
  });
  EXPECT_EQ(typo.rfind("pred.jsonl:4: unknown observation \"Cardiomegally\" (did you mean "
                       "'Cardiomegaly'?)",
                       0),
            0u)
      << typo;
  const std::string lowercase = error_of(
      [] { label_row_from_json(nlohmann::json::parse(R"({"pleural effusion": 1})"), "p"); });
  EXPECT_NE(lowercase.find("did you mean 'Pleural Effusion'?"), std::string::npos) << lowercase;
  const std::string unrelated = error_of(
      [] { label_row_from_json(nlohmann::json::parse(R"({"Report Impression": 1})"), "p"); });
  EXPECT_EQ(unrelated.find("did you mean"), std::string::npos) << unrelated;
  EXPECT_NE(unrelated.find("Enlarged Cardiomediastinum, Cardiomegaly"), std::string::npos);
  const std::string not_object =
      error_of([] { label_row_from_json(nlohmann::json::parse("[1, 0]"), "p:2"); });
  EXPECT_EQ(not_object, "p:2: expected an object mapping observation names to labels, got array");
}

TEST(LabelCsv, WritesPandasFloats) {
  EXPECT_EQ(rrg::chexpert::label_csv_cell(Label::kPositive), "1.0");
  EXPECT_EQ(rrg::chexpert::label_csv_cell(Label::kNegative), "0.0");
  EXPECT_EQ(rrg::chexpert::label_csv_cell(Label::kUncertain), "-1.0");
  EXPECT_EQ(rrg::chexpert::label_csv_cell(Label::kBlank), "");
  const auto header = rrg::chexpert::chexbert_csv_header();
  ASSERT_EQ(header.size(), 15u);
  EXPECT_EQ(header[0], "Report Impression");
  EXPECT_EQ(header[1], "Enlarged Cardiomediastinum");
  EXPECT_EQ(header[14], "No Finding");
}

TEST(LabelCsv, ReadsCellsAndRejectsOthers) {
  for (const Label label : {Label::kPositive, Label::kNegative, Label::kUncertain, Label::kBlank}) {
    EXPECT_EQ(label_from_csv_cell(rrg::chexpert::label_csv_cell(label), "x"), label);
  }
  EXPECT_EQ(label_from_csv_cell("1", "x"), Label::kPositive);
  EXPECT_EQ(label_from_csv_cell(" -1 ", "x"), Label::kUncertain);
  EXPECT_EQ(label_from_csv_cell("nan", "x"), Label::kBlank);
  EXPECT_EQ(label_from_csv_cell("  ", "x"), Label::kBlank);
  EXPECT_EQ(
      error_of([] { label_from_csv_cell("2.0", "labeled_reports.csv:7: column \"Edema\""); }),
      "labeled_reports.csv:7: column \"Edema\": label cell \"2.0\" is not a label (expected 1 "
      "positive, 0 negative, -1 uncertain, or blank: null / empty)");
  EXPECT_NE(error_of([] { label_from_csv_cell("\xff", "x"); }).find("label cell"),
            std::string::npos);
}

TEST(ObservationSlug, LowerCaseWithUnderscores) {
  EXPECT_EQ(rrg::chexpert::observation_slug(0), "enlarged_cardiomediastinum");
  EXPECT_EQ(rrg::chexpert::observation_slug(9), "pleural_effusion");
  EXPECT_EQ(rrg::chexpert::observation_slug(13), "no_finding");
}

// Reads CheXbert's labels of real IU X-Ray reports, writes them back with label_row_to_json and
// lets the reference scorer compare: a faithful round trip scores a 4-way exact match of 1.
TEST(LabelJson, RoundTripThroughScoreLabelsIsExact) {
  const std::string shared = rrg::testing::shared_dir();
  if (shared.empty()) GTEST_SKIP() << "../shared not available";
  const std::string gold = shared + "/labels/iu_chexbert_dev.jsonl";
  if (!rrg::testing::file_exists(gold)) GTEST_SKIP() << gold << " not available";
  rrg::testing::TempDir dir;
  std::ifstream in(gold);
  std::ofstream out(dir.file("pred.jsonl"));
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line);
    const LabelRow row =
        label_row_from_json(record.at("labels"), gold + ":" + std::to_string(n + 1));
    nlohmann::ordered_json written;
    written["id"] = record.at("id");
    written["labels"] = label_row_to_json(row);
    out << written.dump() << "\n";
    ++n;
  }
  out.close();
  ASSERT_GT(n, 1000u);
  const auto result =
      rrg::testing::run_command({"/usr/bin/python3", shared + "/labels/score_labels.py", gold,
                                 dir.file("pred.jsonl"), "--json", dir.file("score.json")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto score = nlohmann::json::parse(rrg::testing::read_file(dir.file("score.json")));
  EXPECT_EQ(score.at("exact_match_4way").get<double>(), 1.0);
  EXPECT_EQ(score.at("coverage").get<double>(), 1.0);
}

}  // namespace
