// Tests of the scorer registry entries this branch adds.
#include "rrg/metrics/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rrg/core/errors.h"

namespace {

TEST(Registry, LexicalScorersInReportOrder) {
  std::vector<std::string> ids;
  for (const auto& info : rrg::metrics::scorer_infos()) ids.push_back(info.id);
  const std::vector<std::string> expected{"coco-bleu", "coco-rouge", "coco-cider", "nltk-bleu"};
  auto it = ids.begin();
  for (const auto& id : expected) {
    it = std::find(it, ids.end(), id);
    ASSERT_NE(it, ids.end()) << id << " missing or out of order";
  }
  for (const auto& info : rrg::metrics::scorer_infos()) {
    const auto scorer = rrg::metrics::make_scorer(info.id, {});
    EXPECT_EQ(scorer->names(), info.metric_names) << info.id;
    EXPECT_TRUE(info.family == "coco" || info.family == "seed") << info.id;
  }
}

TEST(Registry, UnknownScorerNamesTheKnownOnes) {
  try {
    rrg::metrics::make_scorer("bleu", {});
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("coco-bleu"), std::string::npos) << e.what();
  }
}

}  // namespace
