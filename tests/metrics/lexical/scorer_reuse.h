// A scorer that keeps per-word state between calls (METEOR's stems and synonym sets,
// rouge-score's stemmed tokens; rrg/metrics/lexical/state_pool.h) must score a corpus exactly as
// a new scorer does, after other texts and from several threads at once.
#pragma once

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "rrg/metrics/driver.h"

namespace rrg::testing {

// Scores `first` with one scorer, then `second` from 4 threads at once with the same scorer: each
// result equals that of a fresh Scorer on `second`, bit for bit.
template <typename Scorer>
void expect_later_calls_score_as_a_new_scorer(const metrics::TextCorpus& first,
                                              const metrics::TextCorpus& second) {
  const auto fresh = metrics::score_corpus(Scorer(), second);
  const Scorer scorer;
  metrics::score_corpus(scorer, first);
  std::vector<metrics::MetricScores> later(4);
  std::vector<std::thread> threads;
  for (auto& scores : later) {
    threads.emplace_back([&] { scores = metrics::score_corpus(scorer, second); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& scores : later) {
    EXPECT_EQ(scores.per_sample, fresh.per_sample);
    EXPECT_EQ(scores.corpus, fresh.corpus);
  }
}

}  // namespace rrg::testing
