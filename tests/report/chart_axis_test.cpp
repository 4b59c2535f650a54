// Nice steps, axes and number formatting of the chart module.
#include "rrg/report/chart_axis.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using rrg::report::format_fixed;
using rrg::report::nice_axis;
using rrg::report::nice_step;

TEST(NiceStep, PicksOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(nice_step(0.07).value(), 0.1);
  EXPECT_EQ(nice_step(0.1).value(), 0.1);
  EXPECT_EQ(nice_step(0.11).value(), 0.2);
  EXPECT_EQ(nice_step(0.21).value(), 0.25);
  EXPECT_EQ(nice_step(0.3).value(), 0.5);
  EXPECT_EQ(nice_step(0.6).value(), 1.0);
  EXPECT_EQ(nice_step(3).value(), 5.0);
  EXPECT_EQ(nice_step(1234).value(), 2000.0);
  EXPECT_EQ(nice_step(0.25).decimals(), 2);
  EXPECT_EQ(nice_step(0.2).decimals(), 1);
  EXPECT_EQ(nice_step(20).decimals(), 0);
  EXPECT_THROW(nice_step(0), std::invalid_argument);
  EXPECT_THROW(nice_step(std::nan("")), std::invalid_argument);
}

TEST(NiceStep, MultiplesAreTheSameDoublesAsDecimalLiterals) {
  const auto step = nice_step(0.05);
  EXPECT_EQ(step.multiple(3), 0.15);  // 3 * 0.05 would be 0.15000000000000002
  EXPECT_EQ(step.multiple(7), 0.35);
  EXPECT_EQ(nice_step(0.1).multiple(3), 0.3);
}

TEST(NearestNiceStep, MayRoundDown) {
  using rrg::report::nearest_nice_step;
  EXPECT_EQ(nearest_nice_step(0.61875).value(), 0.5);
  EXPECT_EQ(nearest_nice_step(0.9).value(), 1.0);
  EXPECT_EQ(nearest_nice_step(2.2).value(), 2.0);
  EXPECT_EQ(nearest_nice_step(2.4).value(), 2.5);
  EXPECT_EQ(nearest_nice_step(3.6).value(), 5.0);
  EXPECT_EQ(nearest_nice_step(14).value(), 10.0);
  EXPECT_EQ(nearest_nice_step(1.5).value(), 2.0);  // 1.5 is 1.5x from 1 and 1.33x from 2
}

TEST(NiceAxis, ExtendsToMultiplesOfTheStep) {
  const auto axis = nice_axis(0, 7, 4);
  EXPECT_EQ(axis.min, 0);
  EXPECT_EQ(axis.max, 8);
  EXPECT_EQ(axis.ticks, (std::vector<double>{0, 2, 4, 6, 8}));
}

TEST(NiceAxis, AFixedRangeKeepsItsEnds) {
  const auto axis = nice_axis(0, 1, 5, /*extend=*/false);
  EXPECT_EQ(axis.min, 0);
  EXPECT_EQ(axis.max, 1);
  EXPECT_EQ(axis.ticks, (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0}));
}

TEST(NiceAxis, DegenerateAndReversedRanges) {
  const auto flat = nice_axis(3, 3, 4);
  EXPECT_LT(flat.min, 3);
  EXPECT_GT(flat.max, 3);
  const auto reversed = nice_axis(10, -10, 4);
  EXPECT_EQ(reversed.min, -10);
  EXPECT_EQ(reversed.max, 10);
  EXPECT_EQ(reversed.ticks.front(), -10);
  EXPECT_EQ(reversed.ticks.back(), 10);
}

TEST(CountAxis, HasWholeNumberStepsOnly) {
  using rrg::report::count_axis;
  EXPECT_EQ(count_axis(3, 5).ticks, (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(count_axis(13, 6).ticks, (std::vector<double>{0, 2, 4, 6, 8, 10, 12, 14}));
  EXPECT_EQ(count_axis(0, 5).ticks, (std::vector<double>{0, 1}));
  EXPECT_EQ(count_axis(240, 4).max, 300);
}

TEST(FormatFixed, IsLocaleFreeAndDropsTheSignOfRoundedZero) {
  EXPECT_EQ(format_fixed(0.25, 3), "0.250");
  EXPECT_EQ(format_fixed(1.0 / 3, 4), "0.3333");
  EXPECT_EQ(format_fixed(-0.00001, 2), "0.00");
  EXPECT_EQ(format_fixed(-0.5, 1), "-0.5");
  EXPECT_EQ(format_fixed(12, 0), "12");
  EXPECT_EQ(format_fixed(std::nan(""), 2), "N/A");
}

}  // namespace
