// compare_labels (rrg/chexpert/agreement.h) on hand-worked examples, with score_labels.py's
// conventions: positive class = 1 only, macro over observations with gold positives, 3-class
// weighted F1 over 1/0/-1 (blank is no class), 4-way exact match over every cell.
#include "rrg/chexpert/agreement.h"

#include <gtest/gtest.h>

namespace {

using rrg::chexpert::blank_row;
using rrg::chexpert::compare_labels;
using rrg::chexpert::Label;
using rrg::chexpert::LabelRow;

constexpr std::size_t kCardiomegaly = 1, kEdema = 4, kEffusion = 9;

LabelRow row(std::initializer_list<std::pair<std::size_t, Label>> cells) {
  LabelRow r = blank_row();
  for (const auto& [k, label] : cells) r[k] = label;
  return r;
}

TEST(LabelAgreement, HandWorkedThreeReports) {
  // Cardiomegaly: gold 1,1,0  pred 1,0,1 -> tp 1, fp 1, fn 1: P = R = F1 = 0.5.
  //   classes: 1 -> tp1 fp1 fn1 F 0.5 support 2; 0 -> tp0 fp1 fn1 F 0 support 1; -1: support 0.
  //   weighted = (0.5*2 + 0*1) / 3 = 1/3.
  // Edema: gold -1, blank, blank  pred -1, blank, 1 -> positive class tp0 fp1 fn0: P 0, R 0, F 0,
  //   no gold positive (not in macro); classes: -1 -> tp1 support 1 F 1; 1 -> fp 1 support 0.
  //   weighted = 1.
  // Effusion: gold 1 blank blank, pred 1 blank blank -> F1 1.
  const std::vector<LabelRow> gold = {row({{kCardiomegaly, Label::kPositive},
                                           {kEdema, Label::kUncertain},
                                           {kEffusion, Label::kPositive}}),
                                      row({{kCardiomegaly, Label::kPositive}}),
                                      row({{kCardiomegaly, Label::kNegative}})};
  const std::vector<LabelRow> pred = {
      row({{kCardiomegaly, Label::kPositive},
           {kEdema, Label::kUncertain},
           {kEffusion, Label::kPositive}}),
      row({{kCardiomegaly, Label::kNegative}}),
      row({{kCardiomegaly, Label::kPositive}, {kEdema, Label::kPositive}})};
  const auto a = compare_labels(gold, pred);
  EXPECT_EQ(a.n, 3u);
  const auto& cm = a.per_observation[kCardiomegaly];
  EXPECT_EQ(cm.gold_positives, 2u);
  EXPECT_EQ(cm.predicted_positives, 2u);
  EXPECT_DOUBLE_EQ(cm.precision, 0.5);
  EXPECT_DOUBLE_EQ(cm.recall, 0.5);
  EXPECT_DOUBLE_EQ(cm.f1, 0.5);
  ASSERT_TRUE(cm.weighted_f1.has_value());
  EXPECT_DOUBLE_EQ(*cm.weighted_f1, 1.0 / 3.0);
  const auto& edema = a.per_observation[kEdema];
  EXPECT_EQ(edema.gold_positives, 0u);
  EXPECT_EQ(edema.f1, 0.0);
  EXPECT_DOUBLE_EQ(*edema.weighted_f1, 1.0);
  EXPECT_DOUBLE_EQ(a.per_observation[kEffusion].f1, 1.0);
  EXPECT_FALSE(a.per_observation[0].weighted_f1.has_value());  // all blank
  // Micro over all observations: tp 2 (cm 1, eff 1), fp 2 (cm 1, edema 1), fn 1 (cm):
  // P = 0.5, R = 2/3, F = 2PR/(P+R) = 4/7.
  EXPECT_DOUBLE_EQ(a.micro_f1, 2 * 0.5 * (2.0 / 3.0) / (0.5 + 2.0 / 3.0));
  EXPECT_EQ(a.macro_count, 2u);  // Cardiomegaly and Effusion have gold positives
  EXPECT_DOUBLE_EQ(a.macro_f1, 0.75);
  // Cells differing: report 2 cardiomegaly, report 3 cardiomegaly and edema: 3 of 42.
  EXPECT_DOUBLE_EQ(a.exact_match, 39.0 / 42.0);
}

TEST(LabelAgreement, EmptyAndMismatchedInputs) {
  const auto empty = compare_labels({}, {});
  EXPECT_EQ(empty.micro_f1, 0.0);
  EXPECT_EQ(empty.exact_match, 0.0);
  EXPECT_THROW(compare_labels({blank_row()}, {}), std::invalid_argument);
}

}  // namespace
