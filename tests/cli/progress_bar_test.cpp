// The CLI progress display (tools/rrg/progress_bar.cpp): the line format on a terminal and in
// logs, and the final line printed by finish().
#include "progress_bar.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace rrg::cli {
namespace {

TEST(ProgressBar, LogLineShowsCountsRateEtaAndProblems) {
  const ProgressCounts counts{/*done=*/250, /*total=*/1000, /*failed=*/3, /*retries=*/12,
                              /*cached=*/50};
  // 200 requests really done in 10 s: 20/s; 750 left: 37.5 s.
  EXPECT_EQ(ProgressBar::format("annotate", counts, 10.0, /*tty=*/false),
            "rrg: annotate: 250/1000 (25.0%), 20.0/s, elapsed 0:10, ETA 0:38, 3 failed, 12 "
            "retries, 50 cached");
}

TEST(ProgressBar, TerminalLineHasABar) {
  const ProgressCounts counts{/*done=*/500, /*total=*/1000, 0, 0, 0};
  EXPECT_EQ(ProgressBar::format("label", counts, 3725.0, /*tty=*/true),
            "label [############------------] 500/1000 (50.0%), 0.1/s, elapsed 1:02:05, ETA "
            "1:02:05");
}

TEST(ProgressBar, UnknownRateAndEmptyJob) {
  EXPECT_EQ(ProgressBar::format("x", ProgressCounts{0, 10, 0, 0, 0}, 0.0, false),
            "rrg: x: 0/10 (0.0%), 0.0/s, elapsed 0:00, ETA ?");
  EXPECT_EQ(ProgressBar::format("x", ProgressCounts{0, 0, 0, 0, 0}, 1.0, false),
            "rrg: x: 0/0 (100.0%), 0.0/s, elapsed 0:01, ETA 0:00");
}

TEST(ProgressBar, FinishPrintsTheFinalStateOnce) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    ProgressBarOptions options;
    options.label = "job";
    options.out = out;
    options.tty = false;
    options.log_interval_s = 3600;  // no periodic line during the test
    ProgressBar bar(options, [] { return ProgressCounts{7, 7, 1, 0, 0}; });
    bar.finish();
    bar.finish();
  }
  std::rewind(out);
  char buffer[512] = {0};
  const std::size_t n = std::fread(buffer, 1, sizeof buffer - 1, out);
  std::fclose(out);
  const std::string text(buffer, n);
  EXPECT_EQ(text.rfind("rrg: job: 7/7 (100.0%)", 0), 0u) << text;
  EXPECT_NE(text.find(", 1 failed\n"), std::string::npos) << text;
  EXPECT_EQ(text.find('\n'), text.size() - 1);  // exactly one line
}

}  // namespace
}  // namespace rrg::cli
