// Tests of retry decisions and backoff delays (src/llm/retry_policy.cpp).
#include "rrg/llm/retry_policy.h"

#include <gtest/gtest.h>

namespace rrg::llm {
namespace {

TEST(RetryPolicy, RetryableStatuses) {
  for (long status : {408L, 409L, 429L, 500L, 502L, 503L, 504L, 599L}) {
    EXPECT_TRUE(is_retryable_status(status)) << status;
  }
  for (long status : {200L, 400L, 401L, 403L, 404L, 422L}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(RetryPolicy, ServerDelayHeaders) {
  const std::time_t now = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)
  EXPECT_EQ(server_retry_delay_ms("", "", now), std::nullopt);
  EXPECT_EQ(server_retry_delay_ms("", "2", now), 2000);
  EXPECT_EQ(server_retry_delay_ms("", "0.5", now), 500);
  EXPECT_EQ(server_retry_delay_ms("250", "9", now), 250);    // retry-after-ms wins
  EXPECT_EQ(server_retry_delay_ms("junk", "3", now), 3000);  // invalid ms header ignored
  EXPECT_EQ(server_retry_delay_ms("", "Sun, 06 Nov 1994 08:49:47 GMT", now), 10000);
  EXPECT_EQ(server_retry_delay_ms("", "Sun, 06 Nov 1994 08:49:00 GMT", now), 0);  // past date
  EXPECT_EQ(server_retry_delay_ms("", "-4", now), std::nullopt);
}

TEST(RetryPolicy, ExponentialBackoffWithJitterAndCap) {
  RetryPolicy policy;
  policy.initial_backoff_ms = 100;
  policy.max_backoff_ms = 1000;
  policy.jitter = 0.25;
  EXPECT_EQ(backoff_delay_ms(policy, 1, std::nullopt, 0.0), 100);
  EXPECT_EQ(backoff_delay_ms(policy, 2, std::nullopt, 0.0), 200);
  EXPECT_EQ(backoff_delay_ms(policy, 3, std::nullopt, 0.0), 400);
  EXPECT_EQ(backoff_delay_ms(policy, 5, std::nullopt, 0.0), 1000);   // capped
  EXPECT_EQ(backoff_delay_ms(policy, 2, std::nullopt, 0.999), 150);  // 25% jitter removes <= 50
}

TEST(RetryPolicy, ServerDelayIsALowerBoundCappedByMaxRetryAfter) {
  RetryPolicy policy;
  policy.initial_backoff_ms = 100;
  policy.max_retry_after_ms = 5000;
  EXPECT_EQ(backoff_delay_ms(policy, 1, 1500, 0.5), 1500);
  EXPECT_EQ(backoff_delay_ms(policy, 1, 10, 0.0), 100);        // backoff is longer
  EXPECT_EQ(backoff_delay_ms(policy, 1, 3600000, 0.0), 5000);  // absurd hint capped
}

}  // namespace
}  // namespace rrg::llm
