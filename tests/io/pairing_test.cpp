#include "rrg/io/pairing.h"

#include <gtest/gtest.h>

#include "rrg/core/errors.h"

namespace {

using rrg::io::MissingPolicy;
using rrg::io::pair_reports;
using rrg::io::parse_report_file;

const auto kPreds = parse_report_file("p.jsonl",
                                      "{\"id\": \"b\", \"report\": \"pb\"}\n"
                                      "{\"id\": \"a\", \"report\": \"pa\"}\n"
                                      "{\"id\": \"x\", \"report\": \"px\"}\n");
const auto kRefs = parse_report_file("r.jsonl",
                                     "{\"id\": \"a\", \"report\": \"ra\"}\n"
                                     "{\"id\": \"b\", \"references\": [\"rb1\", \"rb2\"]}\n"
                                     "{\"id\": \"y\", \"report\": \"ry\"}\n");

TEST(Pairing, MissingIdsAreAnErrorNamingBothSides) {
  try {
    pair_reports(kPreds, kRefs, MissingPolicy::kError);
    FAIL();
  } catch (const rrg::InputError& e) {
    EXPECT_STREQ(e.what(),
                 "ids differ between p.jsonl and r.jsonl: 1 prediction id has no reference "
                 "(first: \"x\"); 1 reference id has no prediction (first: \"y\"). Use --missing "
                 "skip to score only the common ids, or --missing empty to score missing texts "
                 "as empty");
  }
}

TEST(Pairing, SkipKeepsCommonIdsInPredictionOrder) {
  const auto paired = pair_reports(kPreds, kRefs, MissingPolicy::kSkip);
  EXPECT_EQ(paired.ids, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(paired.references[0], (std::vector<std::string>{"rb1", "rb2"}));
  EXPECT_EQ(paired.missing_predictions, 1u);
  EXPECT_EQ(paired.missing_references, 1u);
}

TEST(Pairing, EmptyScoresMissingTextsAsEmpty) {
  const auto paired = pair_reports(kPreds, kRefs, MissingPolicy::kEmpty);
  EXPECT_EQ(paired.ids, (std::vector<std::string>{"b", "a", "x", "y"}));
  EXPECT_EQ(paired.references[2], std::vector<std::string>{""});
  EXPECT_EQ(paired.predictions[3], "");
}

TEST(Pairing, PositionalFilesPairByPosition) {
  const auto preds = parse_report_file("p.txt", "one\ntwo\n");
  const auto refs = parse_report_file("r.jsonl",
                                      "{\"id\": \"s1\", \"report\": \"r1\"}\n"
                                      "{\"id\": \"s2\", \"report\": \"r2\"}\n");
  const auto paired = pair_reports(preds, refs, MissingPolicy::kError);
  EXPECT_TRUE(paired.paired_by_position);
  EXPECT_EQ(paired.ids, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(paired.predictions[1], "two");
  const auto short_refs = parse_report_file("r.txt", "only one\n");
  EXPECT_THROW(pair_reports(preds, short_refs, MissingPolicy::kError), rrg::InputError);
  EXPECT_EQ(pair_reports(preds, short_refs, MissingPolicy::kSkip).ids.size(), 1u);
}

}  // namespace
