// Distinct-text labelling (label_texts.h) and Labeler::label_views (issue 16): each distinct text
// reaches the labeler once, in first-seen order, and every text gets its own text's result;
// views give the rules labeler's labels exactly.
#include "rrg/labelers/label_texts.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/labelers/registry.h"

namespace {

using rrg::chexpert::Label;
using rrg::labelers::LabelResult;

// A labeler that implements label() only (the default label_views copies into it) and records
// what it was sent; the label of a text is its length's parity, an error for "bad".
class RecordingLabeler final : public rrg::labelers::Labeler {
 public:
  std::string name() const override { return "recording"; }
  std::string identity() const override { return "recording@0"; }
  std::vector<LabelResult> label(const std::vector<std::string>& texts) override {
    sent.insert(sent.end(), texts.begin(), texts.end());
    std::vector<LabelResult> out(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
      out[i].labels[0] = texts[i].size() % 2 == 0 ? Label::kPositive : Label::kNegative;
      if (texts[i] == "bad") out[i].error = "cannot label";
    }
    return out;
  }
  std::vector<std::string> sent;
};

TEST(LabelDistinct, LabelsEachDistinctTextOnceInFirstSeenOrder) {
  const std::vector<std::string> texts = {"ab", "abc", "ab", "bad", "", "abc", ""};
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  RecordingLabeler labeler;
  const rrg::labelers::DistinctLabels labelled = rrg::labelers::label_distinct(labeler, views);
  EXPECT_EQ(labeler.sent, (std::vector<std::string>{"ab", "abc", "bad", ""}));
  EXPECT_EQ(labelled.n_distinct, 4u);
  ASSERT_EQ(labelled.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(labelled.result(i).labels[0],
              texts[i].size() % 2 == 0 ? Label::kPositive : Label::kNegative)
        << texts[i];
    EXPECT_EQ(labelled.result(i).error, texts[i] == "bad" ? "cannot label" : "") << texts[i];
  }
}

// Enough texts for several hashing blocks: the numbering and what the labeler receives do not
// depend on the number of threads that hash.
TEST(LabelDistinct, ThreadsThatHashChangeNothing) {
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < 70000; ++i) texts.push_back("report " + std::to_string(i % 30011));
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  RecordingLabeler one, four;
  const auto a = rrg::labelers::label_distinct(one, views, 1);
  const auto b = rrg::labelers::label_distinct(four, views, 4);
  EXPECT_EQ(a.n_distinct, 30011u);
  EXPECT_EQ(one.sent, four.sent);
  EXPECT_EQ(a.slots, b.slots);
  for (std::size_t i = 0; i < 30011; ++i) ASSERT_EQ(a.slots[i], i);
  for (std::size_t i = 30011; i < texts.size(); ++i) ASSERT_EQ(a.slots[i], i % 30011);
}

TEST(LabelDistinct, RulesLabelerViewsEqualStrings) {
  const auto rules = rrg::labelers::make_labeler("rules", {});
  const std::vector<std::string> texts = {
      "no pleural effusion or pneumothorax .", "there is a small left pleural effusion .",
      "the heart is mildly enlarged . pneumonia cannot be excluded .", ""};
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  const std::vector<LabelResult> from_strings = rules->label(texts);
  const std::vector<LabelResult> from_views = rules->label_views(views);
  ASSERT_EQ(from_strings.size(), from_views.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(from_strings[i].labels, from_views[i].labels) << texts[i];
    EXPECT_EQ(from_strings[i].error, from_views[i].error);
  }
}

}  // namespace
