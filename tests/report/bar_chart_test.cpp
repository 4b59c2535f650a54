// SVG bar charts: well-formed XML (checked by a real XML parser), one bar per value, geometry
// proportional to the values, escaped labels, whiskers, deterministic output.
#include "rrg/report/bar_chart.h"

#include <gtest/gtest.h>

#include <cmath>

#include "svg_inspect.h"

namespace {

using namespace rrg::report;
using rrg::testing::inspect_svg;

BarChart three_observations() {
  BarChart chart;
  chart.id = "f1";
  chart.title = "F1 per observation";
  chart.description = "three observations";
  chart.categories = {"Edema", "Cardiomegaly", "Pleural Effusion"};
  chart.series = {{"", {0.5, 1.0, 0.25}, {}, ""}};
  chart.value_min = 0.0;
  chart.value_max = 1.0;
  chart.value_label = "F1";
  return chart;
}

nlohmann::json inspect_or_skip(const std::string& svg) {
  nlohmann::json doc = inspect_svg(svg);
  if (doc.is_null()) return doc;
  EXPECT_TRUE(doc["ok"].get<bool>()) << doc.value("error", "") << "\n" << svg;
  return doc;
}

TEST(BarChart, HorizontalBarsAreProportionalToTheirValues) {
  const std::string svg = render_bar_chart(three_observations());
  const auto doc = inspect_or_skip(svg);
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  EXPECT_EQ(doc["tag"], "svg");
  EXPECT_EQ(doc["root"]["role"], "img");
  EXPECT_EQ(doc["title"], "F1 per observation");
  ASSERT_EQ(doc["bars"].size(), 3u);
  const double full = doc["bars"][1]["width"].get<double>();  // 1.0 spans the axis
  EXPECT_GT(full, 100);
  EXPECT_NEAR(doc["bars"][0]["width"].get<double>(), full * 0.5, 0.2);
  EXPECT_NEAR(doc["bars"][2]["width"].get<double>(), full * 0.25, 0.2);
  EXPECT_EQ(doc["bars"][0]["title"], "Edema: 0.500");
  EXPECT_EQ(doc["categories"], (nlohmann::json{"Edema", "Cardiomegaly", "Pleural Effusion"}));
  // Ticks of the fixed 0..1 axis.
  for (const char* tick : {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}) {
    EXPECT_NE(std::find(doc["texts"].begin(), doc["texts"].end(), tick), doc["texts"].end())
        << tick;
  }
}

TEST(BarChart, OutputIsDeterministic) {
  EXPECT_EQ(render_bar_chart(three_observations()), render_bar_chart(three_observations()));
}

TEST(BarChart, GroupedSeriesGiveOneBarPerValueAndALegend) {
  BarChart chart = three_observations();
  chart.series = {{"model A", {0.5, 1.0, 0.25}, {}, ""}, {"model B", {0.75, 0.5, 0.0}, {}, ""}};
  const auto doc = inspect_or_skip(render_bar_chart(chart));
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  ASSERT_EQ(doc["bars"].size(), 6u);
  EXPECT_EQ(doc["bars"][1]["title"], "Edema, model B: 0.750");
  EXPECT_NE(doc["bars"][0]["fill"], doc["bars"][1]["fill"]);
  EXPECT_NE(std::find(doc["texts"].begin(), doc["texts"].end(), "model A"), doc["texts"].end());
  // Bars of one category sit side by side, not on top of each other.
  EXPECT_GT(doc["bars"][1]["y"].get<double>(), doc["bars"][0]["y"].get<double>());
}

TEST(BarChart, StackedSeriesStartWhereThePreviousEnds) {
  BarChart chart;
  chart.id = "counts";
  chart.title = "TP FN FP";
  chart.categories = {"Edema"};
  chart.layout = BarLayout::kStacked;
  chart.value_digits = 0;
  chart.series = {{"TP", {3}, {}, ""}, {"FN", {1}, {}, ""}, {"FP", {2}, {}, ""}};
  const auto doc = inspect_or_skip(render_bar_chart(chart));
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  ASSERT_EQ(doc["bars"].size(), 3u);
  const auto& b = doc["bars"];
  EXPECT_NEAR(b[1]["x"].get<double>(), b[0]["x"].get<double>() + b[0]["width"].get<double>(), 0.15);
  EXPECT_NEAR(b[2]["x"].get<double>(), b[1]["x"].get<double>() + b[1]["width"].get<double>(), 0.15);
  EXPECT_NEAR(b[0]["width"].get<double>() / b[1]["width"].get<double>(), 3.0, 0.05);
  EXPECT_NE(std::find(doc["texts"].begin(), doc["texts"].end(), "6"), doc["texts"].end())
      << "the stack's total is printed";
}

TEST(BarChart, IntervalsAreWhiskersAndAppearInTooltips) {
  BarChart chart = three_observations();
  chart.series[0].intervals = {Interval{0.4, 0.6}, std::nullopt, Interval{0.1, 0.3}};
  const auto doc = inspect_or_skip(render_bar_chart(chart));
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  EXPECT_EQ(doc["intervals"], 2);
  EXPECT_EQ(doc["bars"][0]["title"], "Edema: 0.500 [0.400, 0.600]");
}

TEST(BarChart, NotANumberIsLabelledInsteadOfDrawn) {
  BarChart chart = three_observations();
  chart.series[0].values[1] = std::nan("");
  const auto doc = inspect_or_skip(render_bar_chart(chart));
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  EXPECT_EQ(doc["bars"].size(), 2u);
  EXPECT_NE(std::find(doc["texts"].begin(), doc["texts"].end(), "N/A"), doc["texts"].end());
}

TEST(BarChart, LabelsAndTitlesAreEscaped) {
  BarChart chart = three_observations();
  chart.id = "x\" onload=\"alert(1)";
  chart.title = "<script>alert(1)</script>";
  chart.categories[0] = "Edema & <b>\"bold\"</b>";
  chart.series[0].name = "sys <i>";
  chart.series.push_back({"B'</text>", {0.1, 0.2, 0.3}, {}, "red\" onclick=\"x"});
  const std::string svg = render_bar_chart(chart);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(svg.find("onload=\""), std::string::npos);
  EXPECT_EQ(svg.find("onclick=\""), std::string::npos);
  const auto doc = inspect_or_skip(svg);
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  EXPECT_EQ(doc["title"], "<script>alert(1)</script>");  // the parser reads back the text
  EXPECT_EQ(doc["categories"][0], "Edema & <b>\"bold\"</b>");
  EXPECT_EQ(doc["root"]["id"], "x__onload__alert_1_");
}

TEST(BarChart, VerticalBarsGrowUpwardsFromTheAxis) {
  BarChart chart = three_observations();
  chart.orientation = Orientation::kVertical;
  const auto doc = inspect_or_skip(render_bar_chart(chart));
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  ASSERT_EQ(doc["bars"].size(), 3u);
  const auto& b = doc["bars"];
  EXPECT_NEAR(b[0]["height"].get<double>(), b[1]["height"].get<double>() * 0.5, 0.2);
  // Same baseline: y + height equal.
  EXPECT_NEAR(b[0]["y"].get<double>() + b[0]["height"].get<double>(),
              b[1]["y"].get<double>() + b[1]["height"].get<double>(), 0.15);
  EXPECT_LT(b[0]["x"].get<double>(), b[1]["x"].get<double>());
}

TEST(BarChart, AutomaticAxisCoversTheLargestValue) {
  BarChart chart;
  chart.id = "prevalence";
  chart.title = "positives";
  chart.categories = {"a", "b"};
  chart.value_digits = 0;
  chart.series = {{"", {7, 13}, {}, ""}};
  const auto doc = inspect_or_skip(render_bar_chart(chart));
  if (doc.is_null()) GTEST_SKIP() << "no /usr/bin/python3 for the XML check";
  EXPECT_NE(std::find(doc["texts"].begin(), doc["texts"].end(), "14"), doc["texts"].end())
      << "13 rounds up to a whole-number tick at 14";
  EXPECT_EQ(std::find(doc["texts"].begin(), doc["texts"].end(), "2.5"), doc["texts"].end());
}

TEST(BarChart, MismatchedSeriesAreRefused) {
  BarChart chart = three_observations();
  chart.series[0].values.pop_back();
  EXPECT_THROW(render_bar_chart(chart), std::invalid_argument);
  chart = three_observations();
  chart.series[0].intervals = {Interval{0, 1}};
  EXPECT_THROW(render_bar_chart(chart), std::invalid_argument);
}

}  // namespace
