// The CLI's stage relay (tools/rrg/job_relay.cpp): which progress one bar shows while the stages
// of a run (GREEN's requests, RadGraph's batches, compare's trials) come and go, and that the
// final line still says what the last stage did.
#include "job_relay.h"

#include <gtest/gtest.h>

namespace rrg::cli {
namespace {

class CountingStage : public Job {
 public:
  void set(std::size_t done, std::size_t total) {
    total_ = total;
    done_ = done;
  }
};

TEST(JobRelay, ShowsTheRunningStageThenWhatTheLastStageDid) {
  JobRelay relay;
  EXPECT_EQ(relay.progress().total, 0u);  // nothing ran yet

  CountingStage first, second;
  first.set(3, 10);
  relay.relay(&first);
  EXPECT_EQ(relay.progress().done, 3u);
  first.set(10, 10);
  relay.relay(nullptr);  // the stage ended: its last state stays, not "0/0"
  EXPECT_EQ(relay.progress().done, 10u);
  EXPECT_EQ(relay.progress().total, 10u);

  second.set(1, 4);
  relay.relay(&second);
  EXPECT_EQ(relay.progress().total, 4u);
  second.set(4, 4);
  relay.relay(nullptr);
  EXPECT_EQ(relay.progress().done, 4u);
  EXPECT_EQ(relay.progress().total, 4u);

  relay.update(2, 5);  // the relay's own counters (compare's trials) win once they run
  EXPECT_EQ(relay.progress().done, 2u);
  EXPECT_EQ(relay.progress().total, 5u);
}

TEST(JobRelay, BackgroundJobShowsWhenItHasWork) {
  CountingStage background, stage;
  JobRelay relay(&background);
  stage.set(6, 6);
  relay.relay(&stage);
  relay.relay(nullptr);
  EXPECT_EQ(relay.progress().total, 6u);  // an idle background does not hide the last stage
  background.set(1, 8);
  EXPECT_EQ(relay.progress().total, 8u);
  EXPECT_EQ(relay.progress().done, 1u);
}

TEST(JobRelay, CancelReachesTheRunningStageAndStagesStartingLater) {
  CountingStage before, later;
  JobRelay relay;
  relay.relay(&before);
  relay.cancel();
  EXPECT_TRUE(before.cancel_requested());
  relay.relay(&later);
  EXPECT_TRUE(later.cancel_requested());
}

}  // namespace
}  // namespace rrg::cli
