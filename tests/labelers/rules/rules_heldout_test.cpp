// Agreement of the rules labeler with hand labels on a held-out-style corpus: reports written
// for rrg in the style of IU X-Ray findings + impressions and MIMIC-CXR findings / impressions
// (tests/data/rules_heldout.jsonl), labeled by hand following CheXbert's conventions as
// docs/rules-labeler.md ("Labeling conventions") describes them. Unlike the dev set, these
// reports were not used to write the original phrase lists; they cover every observation with
// positive, negated, uncertain and absent cases, lists, devices, post-operative changes and
// comparisons with prior studies, so they guard the labeler's behaviour on report styles the
// dev set's impressions lack.
//
// Each line: {"id", "style": "iu"|"mimic", "report", "labels": "CM=1 PE=0 NF=1"}; observations
// the labels do not list are blank.
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
using rrg::chexpert::Label;
using rrg::chexpert::LabelRow;

// Codes of the 14 observations in CheXpert order (the order of kObservationNames).
constexpr std::array<const char*, kNumObservations> kCodes = {
    "ECM", "CM", "LO", "LL", "ED", "CO", "PNA", "AT", "PTX", "PE", "PO", "FX", "SD", "NF"};

struct Report {
  std::string id;
  std::string style;
  std::string text;
  LabelRow gold;
};

LabelRow parse_labels(const std::string& spec, const std::string& id) {
  LabelRow row = rrg::chexpert::blank_row();
  std::istringstream in(spec);
  std::string item;
  while (in >> item) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) throw std::runtime_error(id + ": bad label item " + item);
    const std::string code = item.substr(0, eq);
    const std::string value = item.substr(eq + 1);
    std::size_t index = kNumObservations;
    for (std::size_t i = 0; i < kNumObservations; ++i) {
      if (code == kCodes[i]) index = i;
    }
    if (index == kNumObservations) throw std::runtime_error(id + ": unknown code " + code);
    if (value == "1") {
      row[index] = Label::kPositive;
    } else if (value == "0") {
      row[index] = Label::kNegative;
    } else if (value == "-1") {
      row[index] = Label::kUncertain;
    } else {
      throw std::runtime_error(id + ": bad value in " + item);
    }
  }
  return row;
}

std::vector<Report> load_corpus() {
  const std::string path = rrg::testing::source_dir() + "/tests/data/rules_heldout.jsonl";
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
    report.gold = parse_labels(record.at("labels").get<std::string>(), report.id);
    reports.push_back(std::move(report));
  }
  return reports;
}

const std::vector<Report>& corpus() {
  static const std::vector<Report> reports = load_corpus();
  return reports;
}

// "1", "0", "-1" or "blank", for the disagreement list.
std::string label_code(Label label) {
  const std::string_view text = rrg::chexpert::label_text(label);
  return text.empty() ? "blank" : std::string(text);
}

TEST(RulesHeldOut, CorpusIsWellFormed) {
  const auto& reports = corpus();
  ASSERT_GE(reports.size(), 150u);
  std::set<std::string> ids;
  std::map<std::string, int> styles;
  std::array<std::array<int, 3>, kNumObservations> seen{};  // positive, negative, uncertain
  for (const Report& r : reports) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id " << r.id;
    EXPECT_TRUE(r.style == "iu" || r.style == "mimic") << r.id;
    ++styles[r.style];
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
  EXPECT_GE(styles["iu"], 50);
  EXPECT_GE(styles["mimic"], 50);
  // Every observation appears positive and negated; all but No Finding and Support Devices
  // also uncertain (CheXbert never makes those two uncertain in practice).
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    EXPECT_GE(seen[i][0], 3) << kCodes[i] << " positives";
    if (i == rrg::chexpert::kNoFinding) continue;
    EXPECT_GE(seen[i][1], 2) << kCodes[i] << " negatives";
    if (i == rrg::chexpert::kSupportDevices) continue;
    EXPECT_GE(seen[i][2], 1) << kCodes[i] << " uncertain cases";
  }
}

// Targets: 4-way agreement per observation >= 0.97 and over all cells >= 0.985 (the dev-set
// target of issue 3), positive F1 >= 0.90 for every observation. The labeler reached 1.0 on
// every measure when the corpus was committed; the margin leaves room for deliberate changes
// of a convention, while a regression on a construction class (a cue or a list) fails.
TEST(RulesHeldOut, AgreesWithTheHandLabels) {
  const auto labeler = rrg::labelers::make_labeler("rules", {});
  std::array<int, kNumObservations> agree{}, tp{}, fp{}, fn{};
  int cells = 0, cells_agree = 0;
  std::ostringstream disagreements;
  for (const Report& r : corpus()) {
    const LabelRow predicted = labeler->label({r.text})[0].labels;
    for (std::size_t i = 0; i < kNumObservations; ++i) {
      const bool same = predicted[i] == r.gold[i];
      agree[i] += same;
      ++cells;
      cells_agree += same;
      const bool p = predicted[i] == Label::kPositive;
      const bool g = r.gold[i] == Label::kPositive;
      tp[i] += p && g;
      fp[i] += p && !g;
      fn[i] += !p && g;
      if (!same) {
        disagreements << "  " << r.id << " " << kCodes[i] << ": expected " << label_code(r.gold[i])
                      << ", got " << label_code(predicted[i]) << "  | " << r.text << "\n";
      }
    }
  }
  const double n = static_cast<double>(corpus().size());
  std::cout << "observation  agreement  positive-F1\n";
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    const int denominator = 2 * tp[i] + fp[i] + fn[i];
    const double f1 = denominator == 0 ? 1.0 : 2.0 * tp[i] / denominator;
    char line[96];
    std::snprintf(line, sizeof line, "%-11s  %9.3f  %11.3f\n", kCodes[i], agree[i] / n, f1);
    std::cout << line;
    EXPECT_GE(agree[i] / n, 0.97) << kCodes[i] << " 4-way agreement";
    EXPECT_GE(f1, 0.90) << kCodes[i] << " positive F1";
  }
  const double overall = static_cast<double>(cells_agree) / cells;
  std::cout << "all cells    " << overall << "\n";
  EXPECT_GE(overall, 0.985);
  if (!disagreements.str().empty()) std::cout << "disagreements:\n" << disagreements.str();
}

}  // namespace
