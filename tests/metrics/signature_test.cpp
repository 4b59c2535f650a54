// Tests of rrg::metrics::Signature (rrg/metrics/signature.h): field order, format(), and that
// copies, which share one representation until changed, stay independent.
#include "rrg/metrics/signature.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "rrg/core/version.h"

namespace {

using rrg::metrics::Signature;

TEST(Signature, FieldsKeepTheirOrderWhateverOrderTheyAreSetIn) {
  Signature s("BLEU-4");
  s.set("nrefs", "1").set("tok", "lower-split").set("conv", "nltk-3.8").set("smooth", "method1");
  EXPECT_EQ(s.format(), std::string("BLEU-4|conv:nltk-3.8|tok:lower-split|smooth:method1|nrefs:1|"
                                    "version:") +
                            rrg::version());
  s.set("tok", "split");  // replaced in place
  EXPECT_EQ(s.get("tok"), "split");
  EXPECT_EQ(s.get("missing"), "");
  EXPECT_EQ(s.fields().size(), 4u);
}

TEST(Signature, EmptyAndMovedFrom) {
  const Signature empty;
  EXPECT_EQ(empty.name(), "");
  EXPECT_TRUE(empty.fields().empty());
  EXPECT_FALSE(empty.shares(empty));
  Signature named("ROUGE-L");
  named.set("conv", "rouge-score-0.1.2");
  Signature taken = std::move(named);
  EXPECT_EQ(taken.name(), "ROUGE-L");
  EXPECT_EQ(taken.get("conv"), "rouge-score-0.1.2");
}

TEST(Signature, CopiesShareUntilOneChanges) {
  Signature original("METEOR");
  original.set("conv", "nltk-3.8").set("nrefs", "1");
  Signature copy = original;
  EXPECT_TRUE(copy.shares(original));
  EXPECT_EQ(copy.format(), original.format());
  copy.set("nrefs", "2");  // the copy gets its own fields; the original is unchanged
  EXPECT_FALSE(copy.shares(original));
  EXPECT_EQ(original.get("nrefs"), "1");
  EXPECT_EQ(copy.get("nrefs"), "2");
  Signature renamed = original;
  renamed.set("clean", "seed");
  EXPECT_EQ(original.fields().size(), 2u);
  EXPECT_EQ(renamed.fields().size(), 3u);
  EXPECT_EQ(renamed.name(), "METEOR");
}

// Threads copying one shared signature and changing their copies see only their own changes.
TEST(Signature, CopiesOnOtherThreadsAreIndependent) {
  Signature shared("F1-14");
  shared.set("labeler", "rules@0").set("avg", "micro");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        Signature mine = shared;
        mine.set("unc", std::to_string(t));
        if (mine.get("unc") != std::to_string(t) || mine.get("avg") != "micro") ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int f : failures) EXPECT_EQ(f, 0);
  EXPECT_EQ(shared.get("unc"), "");
}

}  // namespace
