// Source dispatch and the selection steps (ids, max samples, shard).
#include "rrg/io/datasets/study_source.h"

#include <gtest/gtest.h>

#include <set>

#include "io/mimic_fixture.h"
#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

std::vector<rrg::io::Study> numbered(int n) {
  std::vector<rrg::io::Study> out;
  for (int i = 0; i < n; ++i) out.push_back({"id" + std::to_string(i), {}, "", "", "", ""});
  return out;
}

std::vector<std::string> ids(const std::vector<rrg::io::Study>& studies) {
  std::vector<std::string> out;
  for (const auto& s : studies) out.push_back(s.id);
  return out;
}

TEST(StudySource, DispatchesToMimic) {
  rrg::testing::TempDir dir;
  rrg::testing::write_mimic_tree(dir.path());
  rrg::io::StudySourceOptions options;
  options.kind = rrg::io::StudySourceKind::kMimicCxr;
  options.path = dir.path();
  options.split = "train";
  EXPECT_EQ(ids(rrg::io::load_studies(options).studies), (std::vector<std::string>{"50000005"}));
  EXPECT_THROW(rrg::io::load_studies(rrg::io::StudySourceOptions{}), rrg::InputError);
}

TEST(SelectStudies, IdsThenMaxSamplesKeepSourceOrder) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("ids.txt"), "# wanted\nid7\n\n  id2 \nid5\r\n");
  rrg::io::StudySelection selection;
  selection.ids_file = dir.file("ids.txt");
  EXPECT_EQ(ids(rrg::io::select_studies(numbered(10), selection)),
            (std::vector<std::string>{"id2", "id5", "id7"}));
  selection.max_samples = 2;
  EXPECT_EQ(ids(rrg::io::select_studies(numbered(10), selection)),
            (std::vector<std::string>{"id2", "id5"}));
  rrg::testing::write_file(dir.file("ids.txt"), "id1\nnope\n");
  try {
    rrg::io::select_studies(numbered(10), selection);
    ADD_FAILURE();
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1 of 2 ids are not in the study source (nope)"),
              std::string::npos)
        << e.what();
  }
}

TEST(SelectStudies, ShardsOfALimitedRunAddUpToIt) {
  rrg::io::StudySelection selection;
  selection.max_samples = 40;
  const auto all = ids(rrg::io::select_studies(numbered(100), selection));
  ASSERT_EQ(all.size(), 40u);
  std::multiset<std::string> united;
  for (std::uint64_t k = 0; k < 3; ++k) {
    selection.shard = {k, 3};
    for (const auto& id : ids(rrg::io::select_studies(numbered(100), selection))) united.insert(id);
  }
  EXPECT_EQ(united, std::multiset<std::string>(all.begin(), all.end()));
}

}  // namespace
