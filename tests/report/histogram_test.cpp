// Histogram binning rules and SVG output.
#include "rrg/report/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "svg_inspect.h"

namespace {

using namespace rrg::report;
using rrg::testing::inspect_svg;

TEST(HistogramBins, ScoresInTheUnitIntervalGetTwentyBinsOfFiveHundredths) {
  const HistogramBins bins = choose_bins(std::vector<double>{0.0, 0.12, 0.5, 0.97});
  ASSERT_EQ(bins.edges.size(), 21u);
  EXPECT_FALSE(bins.integer_bins);
  EXPECT_EQ(bins.edges.front(), 0.0);
  EXPECT_EQ(bins.edges[3], 0.15);
  EXPECT_EQ(bins.edges.back(), 1.0);
}

TEST(HistogramBins, SmallIntegerRangesGetOneBinPerInteger) {
  const HistogramBins bins = choose_bins(std::vector<double>{10, 14, 12, 13, 14});
  EXPECT_TRUE(bins.integer_bins);
  EXPECT_EQ(bins.edges, (std::vector<double>{9.5, 10.5, 11.5, 12.5, 13.5, 14.5}));
  EXPECT_EQ(count_in_bins({10, 14, 12, 13, 14}, bins.edges),
            (std::vector<std::size_t>{1, 0, 1, 1, 2}));
}

TEST(HistogramBins, WideRangesGetSturgesBinsOfANiceWidth) {
  std::vector<double> values;
  for (int i = 0; i < 100; ++i) values.push_back(0.05 * i);  // 0 .. 4.95 (CIDEr-like)
  const HistogramBins bins = choose_bins(values);
  ASSERT_GE(bins.edges.size(), 6u);
  const double width = bins.edges[1] - bins.edges[0];
  EXPECT_EQ(width, 0.5);  // Sturges: 8 bins for 100 values; 4.95 / 8 -> 0.5
  EXPECT_LE(bins.edges.front(), 0.0);
  EXPECT_GE(bins.edges.back(), 4.95);
  const auto counts = count_in_bins(values, bins.edges);
  EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), std::size_t{0}), 100u);
}

TEST(HistogramBins, BinsAreHalfOpenExceptTheLast) {
  const std::vector<double> edges{0.0, 0.5, 1.0};
  EXPECT_EQ(count_in_bins({0.0, 0.5, 0.49999, 1.0, 1.5, -0.1}, edges),
            (std::vector<std::size_t>{2, 2}));
}

TEST(HistogramBins, NotANumberIsLeftOutAndNoDataGivesNoBins) {
  EXPECT_TRUE(choose_bins(std::vector<double>{std::nan("")}).edges.empty());
  const HistogramBins bins = choose_bins(std::vector<double>{0.5, std::nan(""), INFINITY});
  EXPECT_EQ(bins.edges.size(), 21u);
  EXPECT_EQ(count_in_bins({0.5, std::nan(""), INFINITY}, bins.edges)[10], 1u);
}

TEST(HistogramBins, AConstantOutsideTheUnitIntervalGetsOneBin) {
  const HistogramBins bins = choose_bins(std::vector<double>{2.5, 2.5});
  EXPECT_EQ(bins.edges, (std::vector<double>{2.0, 3.0}));
}

TEST(Histogram, DrawsOneBarPerBinWithItsCountInTheTooltip) {
  Histogram h;
  h.id = "hist-BLEU-4";
  h.title = "BLEU-4";
  h.value_label = "BLEU-4";
  h.series = {{"", {0.0, 0.01, 0.02, 0.51, 1.0, std::nan("")}, ""}};
  const std::string svg = render_histogram(h);
  EXPECT_EQ(svg, render_histogram(h));
  const auto doc = inspect_svg(svg);
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  ASSERT_TRUE(doc["ok"].get<bool>()) << doc.value("error", "");
  ASSERT_EQ(doc["bars"].size(), 20u);
  EXPECT_EQ(doc["bars"][0]["title"], "[0.00, 0.05): 3 (60.0%)");
  EXPECT_EQ(doc["bars"][10]["title"], "[0.50, 0.55): 1 (20.0%)");
  EXPECT_EQ(doc["bars"][19]["title"], "[0.95, 1.00]: 1 (20.0%)");
  EXPECT_EQ(doc["bars"][5]["height"].get<double>(), 0.0);
  // Heights follow counts: 3 vs 1.
  EXPECT_NEAR(doc["bars"][0]["height"].get<double>(), 3 * doc["bars"][10]["height"].get<double>(),
              0.2);
  // The description counts the N/A value.
  EXPECT_NE(svg.find("5 values (1 N/A)"), std::string::npos);
}

TEST(Histogram, SeveralSeriesShareTheBins) {
  Histogram h;
  h.id = "hist-n_disagree";
  h.title = "n_disagree";
  h.series = {{"A", {0, 1, 1, 2}, ""}, {"B <x>", {2, 2, 3}, ""}};
  const auto doc = inspect_svg(render_histogram(h));
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  ASSERT_TRUE(doc["ok"].get<bool>()) << doc.value("error", "");
  ASSERT_EQ(doc["bars"].size(), 8u);  // 4 integer bins (0..3) x 2 series
  EXPECT_EQ(doc["bars"][2]["title"], "A 1: 2 (50.0%)");
  EXPECT_EQ(doc["bars"][7]["title"], "B <x> 3: 1 (33.3%)");
}

TEST(Histogram, NoValuesSaysSo) {
  Histogram h;
  h.id = "empty";
  h.title = "empty";
  h.series = {{"", {std::nan("")}, ""}};
  const auto doc = inspect_svg(render_histogram(h));
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  ASSERT_TRUE(doc["ok"].get<bool>());
  EXPECT_EQ(doc["bars"].size(), 0u);
  EXPECT_NE(std::find(doc["texts"].begin(), doc["texts"].end(), "no values"), doc["texts"].end());
}

}  // namespace
