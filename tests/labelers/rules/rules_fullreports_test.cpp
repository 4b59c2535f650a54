// Agreement of the rules labeler with hand labels on full reports (findings + impression):
// tests/data/rules_fullreports.jsonl, 424 reports written for rrg, half in the style of IU X-Ray
// references as R2Gen-style papers score them (lower-cased, " ." separated clauses without
// commas, "xxxx" de-identification) and half in the style of MIMIC-CXR (FINDINGS: / IMPRESSION:
// sections, "___", numbered impressions, comparisons, lines-and-tubes lists). Every report was
// labeled by hand in CheXbert's conventions (docs/rules-labeler.md, "Labeling conventions";
// tests/data/rules_fullreports.md says how the corpus was made).
//
// Each line: {"id", "style": "iu"|"mimic", "report", "labels": {observation: 1|0|-1|null}} with
// all 14 observations, the layout CheXbert's scorer (score_labels.py) reads.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/chexpert/observations.h"
#include "rrg/labelers/registry.h"
#include "support/test_support.h"

namespace {

using rrg::chexpert::kNumObservations;
using rrg::chexpert::kObservationNames;
using rrg::chexpert::Label;
using rrg::chexpert::LabelRow;

struct Report {
  std::string id;
  std::string style;
  std::string text;
  LabelRow gold;
};

Label parse_label(const nlohmann::json& value, const std::string& where) {
  if (value.is_null()) return Label::kBlank;
  if (!value.is_number_integer()) throw std::runtime_error(where + ": label is not 1/0/-1/null");
  switch (value.get<int>()) {
    case 1:
      return Label::kPositive;
    case 0:
      return Label::kNegative;
    case -1:
      return Label::kUncertain;
    default:
      throw std::runtime_error(where + ": label is not 1/0/-1/null");
  }
}

std::vector<Report> load_corpus() {
  const std::string path = rrg::testing::source_dir() + "/tests/data/rules_fullreports.jsonl";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<Report> reports;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json record = nlohmann::json::parse(line);
    Report report;
    report.id = record.at("id").get<std::string>();
    report.style = record.at("style").get<std::string>();
    report.text = record.at("report").get<std::string>();
    const nlohmann::json& labels = record.at("labels");
    if (labels.size() != kNumObservations) {
      throw std::runtime_error(report.id + ": expected all 14 observations");
    }
    for (std::size_t i = 0; i < kNumObservations; ++i) {
      const std::string name(kObservationNames[i]);
      report.gold[i] = parse_label(labels.at(name), report.id + " " + name);
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

const std::vector<Report>& corpus() {
  static const std::vector<Report> reports = load_corpus();
  return reports;
}

std::string label_code(Label label) {
  const std::string_view text = rrg::chexpert::label_text(label);
  return text.empty() ? "blank" : std::string(text);
}

TEST(RulesFullReports, CorpusIsWellFormed) {
  const auto& reports = corpus();
  ASSERT_GE(reports.size(), 300u);
  std::set<std::string> ids, texts;
  std::map<std::string, int> styles;
  std::array<std::array<int, 3>, kNumObservations> seen{};  // positive, negative, uncertain
  for (const Report& r : reports) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id " << r.id;
    EXPECT_TRUE(texts.insert(r.text).second) << "duplicate text " << r.id;
    EXPECT_TRUE(r.style == "iu" || r.style == "mimic") << r.id;
    ++styles[r.style];
    if (r.style == "iu") {
      // R2Gen-cleaned IU text: lower case, no punctuation but the " ." clause marks.
      EXPECT_EQ(r.text.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ,;:()"), std::string::npos) << r.id;
    }
    // No Finding follows CheXpert's rule: 1 only when nothing but Support Devices is positive
    // or uncertain (an abnormality outside the 13 observations may also keep it blank).
    bool abnormal = false;
    for (std::size_t i = 0; i < kNumObservations; ++i) {
      if (i == rrg::chexpert::kNoFinding || i == rrg::chexpert::kSupportDevices) continue;
      abnormal = abnormal || r.gold[i] == Label::kPositive || r.gold[i] == Label::kUncertain;
    }
    const Label nf = r.gold[rrg::chexpert::kNoFinding];
    EXPECT_TRUE(nf == Label::kBlank || nf == Label::kPositive) << r.id;
    if (abnormal) {
      EXPECT_EQ(nf, Label::kBlank) << r.id << ": No Finding with a finding";
    }
    for (std::size_t i = 0; i < kNumObservations; ++i) {
      if (r.gold[i] == Label::kPositive) ++seen[i][0];
      if (r.gold[i] == Label::kNegative) ++seen[i][1];
      if (r.gold[i] == Label::kUncertain) ++seen[i][2];
    }
  }
  EXPECT_GE(styles["iu"], 150);
  EXPECT_GE(styles["mimic"], 150);
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    EXPECT_GE(seen[i][0], 5) << kObservationNames[i] << " positives";
    if (i == rrg::chexpert::kNoFinding) continue;
    EXPECT_GE(seen[i][1], 3) << kObservationNames[i] << " negatives";
    if (i == rrg::chexpert::kSupportDevices) continue;
    EXPECT_GE(seen[i][2], 1) << kObservationNames[i] << " uncertain cases";
  }
}

// The labeler agreed with every cell when the corpus was committed (the last 60 reports, written
// after the lists were changed and measured before any further change, disagreed in 2 of 840
// cells; both were gaps, since fixed). The bounds leave a little room for a deliberate change of a
// convention; a regression of a construction class (a cue, a list, the No Finding rule) fails.
TEST(RulesFullReports, AgreesWithTheHandLabels) {
  const auto labeler = rrg::labelers::make_labeler("rules", {});
  std::array<int, kNumObservations> tp{}, fp{}, fn{};
  int cells = 0, cells_agree = 0, reports_exact = 0;
  std::ostringstream disagreements;
  for (const Report& r : corpus()) {
    const LabelRow predicted = labeler->label({r.text})[0].labels;
    bool exact = true;
    for (std::size_t i = 0; i < kNumObservations; ++i) {
      const bool same = predicted[i] == r.gold[i];
      ++cells;
      cells_agree += same;
      exact = exact && same;
      const bool p = predicted[i] == Label::kPositive;
      const bool g = r.gold[i] == Label::kPositive;
      tp[i] += p && g;
      fp[i] += p && !g;
      fn[i] += !p && g;
      if (!same) {
        disagreements << "  " << r.id << " " << kObservationNames[i] << ": expected "
                      << label_code(r.gold[i]) << ", got " << label_code(predicted[i]) << "  | "
                      << r.text << "\n";
      }
    }
    reports_exact += exact;
  }
  int all_tp = 0, all_fp = 0, all_fn = 0, with_positives = 0;
  double macro_sum = 0;
  std::cout << "observation                 positive-F1\n";
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    const int denominator = 2 * tp[i] + fp[i] + fn[i];
    const double f1 = denominator == 0 ? 1.0 : 2.0 * tp[i] / denominator;
    char line[96];
    std::snprintf(line, sizeof line, "%-26s  %11.3f\n", std::string(kObservationNames[i]).c_str(),
                  f1);
    std::cout << line;
    EXPECT_GE(f1, 0.95) << kObservationNames[i] << " positive F1";
    all_tp += tp[i];
    all_fp += fp[i];
    all_fn += fn[i];
    if (tp[i] + fn[i] > 0) {
      ++with_positives;
      macro_sum += f1;
    }
  }
  const double micro = 2.0 * all_tp / (2 * all_tp + all_fp + all_fn);
  const double macro = macro_sum / with_positives;
  const double four_way = static_cast<double>(cells_agree) / cells;
  std::cout << "micro positive F1 " << micro << "  macro positive F1 " << macro
            << "  4-way agreement " << four_way << "  reports exact "
            << static_cast<double>(reports_exact) / corpus().size() << "\n";
  EXPECT_GE(micro, 0.995);
  EXPECT_GE(macro, 0.995);
  EXPECT_GE(four_way, 0.998);
  if (!disagreements.str().empty()) std::cout << "disagreements:\n" << disagreements.str();
}

}  // namespace
