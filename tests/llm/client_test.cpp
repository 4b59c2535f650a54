// Tests of the Chat Completions batch engine (src/llm/client.cpp) against the scripted loopback
// server (tools/llm-dev/fake_openai_server.h), issue 4 "Tests with a real server": exact attempt
// counts, Retry-After honoured (measured on the server, lower bounds only), 500/503, timeouts,
// dropped connections, malformed bodies, <think> blocks, SSE streaming, key redaction, TLS with
// an extra root, several servers, no lost or duplicated results, and the Completions endpoint.
#include "rrg/llm/client.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fake_openai_server.h"
#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace rrg::llm {
namespace {

using llmdev::FakeOpenAiServer;
using nlohmann::json;

json user_message(const std::string& text) {
  return json::array({{{"role", "user"}, {"content", text}}});
}

ChatJob job(const std::string& id, const std::string& text) {
  ChatJob out;
  out.id = id;
  out.messages = user_message(text);
  return out;
}

ClientOptions fast_options(const std::string& base_url) {
  ClientOptions options;
  options.base_urls = {base_url};
  options.concurrency = 4;
  options.retry.max_retries = 3;
  options.retry.initial_backoff_ms = 10;
  options.retry.max_backoff_ms = 50;
  options.request.model = "test-model";
  options.request.temperature = 0.0;
  options.random_seed = 7;
  return options;
}

ChatResult run_one(const ClientOptions& options, const std::string& text) {
  ChatClient client(options);
  auto results = client.run_all({job("only", text)});
  return std::move(results.at(0));
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.start(); }
  FakeOpenAiServer server_;
};

TEST_F(ClientTest, NormalAnswersOneAttemptEach) {
  ChatClient client(fast_options(server_.base_url()));
  std::vector<ChatJob> jobs;
  for (int i = 0; i < 20; ++i)
    jobs.push_back(job("r" + std::to_string(i), "hello " + std::to_string(i)));
  const auto results = client.run_all(std::move(jobs));
  ASSERT_EQ(results.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    const auto& result = results[i];
    EXPECT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.id, "r" + std::to_string(i));
    EXPECT_EQ(result.answer.content, "echo: hello " + std::to_string(i));
    EXPECT_EQ(result.answer.finish_reason, "stop");
    EXPECT_EQ(result.answer.usage["total_tokens"], 120);
    EXPECT_EQ(result.attempts, 1);
    EXPECT_EQ(result.http_status, 200);
  }
  EXPECT_EQ(server_.request_count(), 20u);
  const auto stats = client.stats();
  EXPECT_EQ(stats.started, 20u);
  EXPECT_EQ(stats.succeeded, 20u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.retries, 0u);
  EXPECT_EQ(stats.in_flight, 0u);
}

TEST_F(ClientTest, RequestBodyCarriesEveryField) {
  auto options = fast_options(server_.base_url());
  options.request.top_p = 0.9;
  options.request.seed = 1234;
  options.request.max_tokens = 256;
  options.request.use_max_completion_tokens = true;
  options.request.chat_template_kwargs = {{"enable_thinking", false}};
  options.request.extra_body = {{"top_k", 20}};
  const json schema = {{"type", "object"}};
  options.request.json_schema = schema;
  const std::map<StructuredMode, std::string> modes = {{StructuredMode::kJsonSchema, "a"},
                                                       {StructuredMode::kVllm, "b"},
                                                       {StructuredMode::kGuidedJson, "c"},
                                                       {StructuredMode::kNone, "d"}};
  for (const auto& [mode, text] : modes) {
    options.request.structured = mode;
    ASSERT_TRUE(run_one(options, "fields " + text).ok);
  }
  std::map<std::string, json> bodies;
  for (const auto& request : server_.requests()) bodies[request.key] = json::parse(request.body);
  for (const auto& [key, body] : bodies) {
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_EQ(body["temperature"], 0.0);
    EXPECT_EQ(body["top_p"], 0.9);
    EXPECT_EQ(body["seed"], 1234);
    EXPECT_EQ(body["max_completion_tokens"], 256);
    EXPECT_FALSE(body.contains("max_tokens"));
    EXPECT_EQ(body["chat_template_kwargs"], json({{"enable_thinking", false}}));
    EXPECT_EQ(body["top_k"], 20);
    EXPECT_EQ(body["messages"], user_message(key));
    EXPECT_FALSE(body.contains("stream"));
  }
  EXPECT_EQ(bodies["fields a"]["response_format"],
            json({{"type", "json_schema"},
                  {"json_schema", {{"name", "answer"}, {"schema", schema}, {"strict", true}}}}));
  EXPECT_EQ(bodies["fields b"]["structured_outputs"], json({{"json", schema}}));
  EXPECT_EQ(bodies["fields c"]["guided_json"], schema);
  for (const char* key : {"response_format", "structured_outputs", "guided_json"}) {
    EXPECT_FALSE(bodies["fields d"].contains(key)) << key;
  }
}

TEST_F(ClientTest, MultimodalContentArraysAreSentUnchanged) {
  ChatClient client(fast_options(server_.base_url()));
  ChatJob image_job;
  image_job.id = "img";
  image_job.messages = json::array(
      {{{"role", "user"},
        {"content",
         {{{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64,iVBORw0KGgo="}}}},
          {{"type", "text"}, {"text", "Describe the image."}}}}}});
  const auto results = client.run_all({image_job});
  ASSERT_TRUE(results[0].ok) << results[0].error;
  EXPECT_EQ(json::parse(server_.requests().at(0).body)["messages"], image_job.messages);
}

TEST_F(ClientTest, RateLimitHonoursRetryAfterSeconds) {
  const auto result = run_one(fast_options(server_.base_url()), "limited [[rrg-test:429x2:1]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 3);
  const auto times = server_.attempt_times("limited");
  ASSERT_EQ(times.size(), 3u);
  // The client's own backoff here is <= 50 ms; only Retry-After explains 1 s gaps.
  EXPECT_GE(times[1] - times[0], 1000.0);
  EXPECT_GE(times[2] - times[1], 1000.0);
}

TEST_F(ClientTest, RateLimitHonoursRetryAfterMs) {
  const auto result = run_one(fast_options(server_.base_url()), "tokens [[rrg-test:429msx1:300]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 2);
  const auto times = server_.attempt_times("tokens");
  ASSERT_EQ(times.size(), 2u);
  EXPECT_GE(times[1] - times[0], 300.0);
}

TEST_F(ClientTest, ServerErrorsAreRetriedThenSucceed) {
  auto result = run_one(fast_options(server_.base_url()), "flaky [[rrg-test:500x2]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 3);
  result = run_one(fast_options(server_.base_url()), "overloaded [[rrg-test:503x3]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 4);  // max_retries 3: the 4th attempt is the last allowed
}

TEST_F(ClientTest, ExplicitErrorAfterMaxRetries) {
  auto options = fast_options(server_.base_url());
  options.retry.max_retries = 2;
  const auto result = run_one(options, "down [[rrg-test:503]]");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(server_.attempts("down"), 3);
  EXPECT_EQ(result.http_status, 503);
  EXPECT_NE(result.error.find("HTTP 503: ServiceUnavailable: The model is overloaded"),
            std::string::npos)
      << result.error;
  EXPECT_NE(result.error.find("3 attempts"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("--max-retries 2"), std::string::npos) << result.error;
  EXPECT_TRUE(result.answer.content.empty());
}

TEST_F(ClientTest, ZeroRetriesMeansOneAttempt) {
  auto options = fast_options(server_.base_url());
  options.retry.max_retries = 0;
  const auto result = run_one(options, "once [[rrg-test:500]]");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(server_.attempts("once"), 1);
}

TEST_F(ClientTest, BadRequestIsNotRetriedAndVllmErrorIsReported) {
  const auto result = run_one(fast_options(server_.base_url()), "huge [[rrg-test:400vllm]]");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.attempts, 1);
  EXPECT_EQ(server_.attempts("huge"), 1);
  EXPECT_NE(result.error.find("HTTP 400: BadRequestError: This model's maximum context length"),
            std::string::npos)
      << result.error;
}

TEST_F(ClientTest, SlowAnswerHitsReadTimeoutAndIsRetried) {
  auto options = fast_options(server_.base_url());
  options.read_timeout_ms = 200;
  const auto result = run_one(options, "sleepy [[rrg-test:slowx1:2000]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(server_.attempts("sleepy"), 2);

  options.retry.max_retries = 1;
  const auto failed = run_one(options, "asleep [[rrg-test:slow:2000]]");
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.attempts, 2);
  EXPECT_NE(failed.error.find("no data from the server for 200 ms"), std::string::npos)
      << failed.error;
}

TEST_F(ClientTest, RequestTimeoutBoundsAnAttempt) {
  auto options = fast_options(server_.base_url());
  options.request_timeout_ms = 200;
  options.retry.max_retries = 1;
  const auto result = run_one(options, "tardy [[rrg-test:slowx1:2000]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 2);
}

TEST_F(ClientTest, DroppedConnectionsAreRetried) {
  const auto result = run_one(fast_options(server_.base_url()), "cut [[rrg-test:dropx2]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(server_.attempts("cut"), 3);
}

TEST_F(ClientTest, MalformedBodyIsRetriedThenReported) {
  auto result = run_one(fast_options(server_.base_url()), "garbled [[rrg-test:badjsonx1]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 2);
  auto options = fast_options(server_.base_url());
  options.retry.max_retries = 1;
  result = run_one(options, "always garbled [[rrg-test:badjson]]");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_NE(result.error.find("not valid JSON"), std::string::npos) << result.error;
}

TEST_F(ClientTest, ConnectionRefusedIsATransportErrorAfterRetries) {
  int dead_port = 0;
  {
    FakeOpenAiServer closed;
    closed.start();
    dead_port = closed.port();
  }
  auto options = fast_options("http://127.0.0.1:" + std::to_string(dead_port) + "/v1");
  options.retry.max_retries = 2;
  const auto result = run_one(options, "nobody home");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(result.http_status, 0);
  EXPECT_NE(result.error.find("transport error"), std::string::npos) << result.error;
}

TEST_F(ClientTest, ApiKeyIsSentButNeverAppearsInErrors) {
  const std::string secret = "sk-test-DO-NOT-PRINT-8f3a9c2e71";
  auto options = fast_options(server_.base_url());
  options.api_key = ApiKey(secret, "$RRG_API_KEY");
  const auto result = run_one(options, "who am i [[rrg-test:401echo]]");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.attempts, 1);  // 401 is not retried
  // The server did receive the key, and echoed it into its error message...
  ASSERT_EQ(server_.requests().at(0).authorization, "Bearer " + secret);
  // ...which rrg redacts.
  EXPECT_EQ(result.error.find(secret), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("[REDACTED]"), std::string::npos) << result.error;
  EXPECT_NE(result.error.find("check the API key from $RRG_API_KEY"), std::string::npos);
}

TEST_F(ClientTest, NoKeyMeansNoAuthorizationHeader) {
  ASSERT_TRUE(run_one(fast_options(server_.base_url()), "anonymous").ok);
  EXPECT_EQ(server_.requests().at(0).authorization, "");
}

TEST_F(ClientTest, ThinkingIsSeparatedFromTheAnswer) {
  auto result = run_one(fast_options(server_.base_url()), "t1 [[rrg-test:think]]");
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.answer.content, "echo: t1 [[rrg-test:think]]");
  EXPECT_EQ(result.answer.reasoning, "The report mentions {braces} and findings.");
  result = run_one(fast_options(server_.base_url()), "t2 [[rrg-test:orphanthink]]");
  EXPECT_EQ(result.answer.content, "echo: t2 [[rrg-test:orphanthink]]");
  EXPECT_EQ(result.answer.reasoning, "Let me think about it.");
  result = run_one(fast_options(server_.base_url()), "t3 [[rrg-test:reasoningfield]]");
  EXPECT_EQ(result.answer.reasoning, "Reasoning about the report.");
  result = run_one(fast_options(server_.base_url()), "t4 [[rrg-test:truncthink]]");
  ASSERT_TRUE(result.ok);
  EXPECT_TRUE(result.answer.reasoning_truncated);
  EXPECT_EQ(result.answer.finish_reason, "length");
  EXPECT_EQ(result.answer.content, "");
}

TEST_F(ClientTest, StreamingAssemblesTheAnswer) {
  auto options = fast_options(server_.base_url());
  options.request.stream = true;
  auto result = run_one(options, "streamed answer [[rrg-test:reasoningfield]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.answer.content, "echo: streamed answer [[rrg-test:reasoningfield]]");
  EXPECT_EQ(result.answer.reasoning, "Reasoning about the report.");
  EXPECT_EQ(result.answer.finish_reason, "stop");
  EXPECT_EQ(result.answer.usage["total_tokens"], 120);
  const auto body = json::parse(server_.requests().at(0).body);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  // Retries work the same when streaming.
  result = run_one(options, "streamed retry [[rrg-test:500x1,think]]");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(result.answer.reasoning, "The report mentions {braces} and findings.");
}

TEST_F(ClientTest, CompletionsEndpointSendsAPromptAndReadsText) {
  auto options = fast_options(server_.base_url());
  options.endpoint = ApiEndpoint::kCompletions;
  options.request.seed = 3;
  options.request.max_tokens = 64;
  ChatClient client(options);
  std::vector<ChatJob> jobs;
  for (const char* text : {"plain prompt", "retried prompt [[rrg-test:500x2,429msx1:20]]",
                           "thinking prompt [[rrg-test:think]]"}) {
    ChatJob one;
    one.id = text;
    one.prompt = text;
    jobs.push_back(std::move(one));
  }
  const auto results = client.run_all(std::move(jobs));
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok) << result.id << ": " << result.error;
    EXPECT_EQ(result.answer.content, "echo: " + result.id);
    EXPECT_EQ(result.answer.finish_reason, "stop");
    EXPECT_EQ(result.answer.usage["total_tokens"], 120);
  }
  EXPECT_EQ(results[1].attempts, 3);
  EXPECT_EQ(results[2].answer.reasoning, "The report mentions {braces} and findings.");
  for (const auto& request : server_.requests()) {
    const auto body = json::parse(request.body);
    EXPECT_EQ(body["prompt"], request.key);
    EXPECT_FALSE(body.contains("messages"));
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_EQ(body["temperature"], 0.0);
    EXPECT_EQ(body["seed"], 3);
    EXPECT_EQ(body["max_tokens"], 64);
  }
  // Streamed completions are assembled from their text pieces.
  options.request.stream = true;
  ChatClient streaming(options);
  ChatJob streamed;
  streamed.prompt = "streamed prompt";
  const auto answer = streaming.run_all({streamed}).at(0);
  ASSERT_TRUE(answer.ok) << answer.error;
  EXPECT_EQ(answer.answer.content, "echo: streamed prompt");
  EXPECT_EQ(answer.answer.usage["total_tokens"], 120);
}

TEST_F(ClientTest, ManyMixedJobsNoneLostNoneDuplicated) {
  auto options = fast_options(server_.base_url());
  options.concurrency = 16;
  options.read_timeout_ms = 300;
  const std::vector<std::string> faults = {"",
                                           "[[rrg-test:500x1]]",
                                           "[[rrg-test:429msx1:20]]",
                                           "[[rrg-test:dropx1]]",
                                           "[[rrg-test:badjsonx1]]",
                                           "[[rrg-test:slowx1:1000]]",
                                           "[[rrg-test:400vllm]]"};
  ChatClient client(options);
  std::size_t next = 0;
  const std::size_t total = 140;
  std::map<std::string, int> seen;
  std::size_t expected_failures = 0;
  std::size_t expected_retries = 0;
  for (std::size_t i = 0; i < total; ++i) {
    const auto& fault = faults[i % faults.size()];
    if (fault == "[[rrg-test:400vllm]]") {
      ++expected_failures;
    } else if (!fault.empty()) {
      ++expected_retries;
    }
  }
  int failures = 0;
  client.run(
      [&]() -> std::optional<ChatJob> {
        if (next == total) return std::nullopt;
        const std::size_t i = next++;
        return job("id" + std::to_string(i),
                   "job " + std::to_string(i) + " " + faults[i % faults.size()]);
      },
      [&](ChatResult&& result) {
        ++seen[result.id];
        if (!result.ok) ++failures;
        EXPECT_LE(result.attempts, 2) << result.id << ": " << result.error;
        EXPECT_EQ(result.id, "id" + std::to_string(result.sequence));
      });
  ASSERT_EQ(seen.size(), total);
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
  EXPECT_EQ(static_cast<std::size_t>(failures), expected_failures);
  const auto stats = client.stats();
  EXPECT_EQ(stats.succeeded + stats.failed, total);
  EXPECT_EQ(stats.retries, expected_retries);
  EXPECT_EQ(server_.request_count(), total + expected_retries);
}

TEST_F(ClientTest, SeveralServersFailingOneLeavesRotation) {
  int dead_port = 0;
  {
    FakeOpenAiServer closed;
    closed.start();
    dead_port = closed.port();
  }
  auto options = fast_options("http://127.0.0.1:" + std::to_string(dead_port) + "/v1");
  options.base_urls.push_back(server_.base_url());
  options.concurrency = 2;
  options.endpoint_failure_threshold = 2;
  options.endpoint_cooldown_ms = 60000;
  ChatClient client(options);
  std::vector<ChatJob> jobs;
  for (int i = 0; i < 30; ++i)
    jobs.push_back(job("m" + std::to_string(i), "multi " + std::to_string(i)));
  const auto results = client.run_all(std::move(jobs));
  int retried = 0;
  for (const auto& result : results) {
    EXPECT_TRUE(result.ok) << result.error;
    EXPECT_EQ(result.base_url, server_.base_url());
    retried += result.attempts - 1;
  }
  // The dead server cost at most `threshold` failed attempts before it left the rotation (plus
  // the requests that were already assigned to it at that moment).
  EXPECT_LE(retried, 2 + options.concurrency);
  EXPECT_EQ(server_.request_count(), 30u);
}

TEST_F(ClientTest, HandlerExceptionStopsTheRunAndPropagates) {
  ChatClient client(fast_options(server_.base_url()));
  std::size_t next = 0;
  EXPECT_THROW(client.run(
                   [&]() -> std::optional<ChatJob> {
                     if (next == 10) return std::nullopt;
                     ++next;
                     return job("x" + std::to_string(next), "x " + std::to_string(next));
                   },
                   [&](ChatResult&&) { throw std::runtime_error("disk full"); }),
               std::runtime_error);
}

TEST(ClientOptionsTest, UnusableOptionsAreInputErrors) {
  ClientOptions options;
  EXPECT_THROW(ChatClient{options}, InputError);
  options.base_urls = {"127.0.0.1:8000/v1"};
  EXPECT_THROW(ChatClient{options}, InputError);
  options.base_urls = {"http://127.0.0.1:8000/v1"};
  options.concurrency = 0;
  EXPECT_THROW(ChatClient{options}, InputError);
  options.concurrency = 1;
  options.ca_bundle = "/nonexistent/ca.pem";
  EXPECT_THROW(ChatClient{options}, InputError);
}

TEST(ClientOptionsTest, ChatCompletionsUrl) {
  EXPECT_EQ(chat_completions_url("http://h:1/v1"), "http://h:1/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("http://h:1/v1/"), "http://h:1/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("http://h:1/v1/chat/completions"),
            "http://h:1/v1/chat/completions");
}

TEST(ClientOptionsTest, CompletionsUrlAndEndpointNames) {
  EXPECT_EQ(completions_url("http://h:1/v1"), "http://h:1/v1/completions");
  EXPECT_EQ(completions_url("http://h:1/v1/"), "http://h:1/v1/completions");
  EXPECT_EQ(completions_url("http://h:1/v1/completions"), "http://h:1/v1/completions");
  EXPECT_EQ(completions_url("http://h:1/v1/chat/completions"), "http://h:1/v1/completions");
  EXPECT_EQ(endpoint_url("http://h:1/v1", ApiEndpoint::kChatCompletions),
            "http://h:1/v1/chat/completions");
  EXPECT_EQ(endpoint_url("http://h:1/v1", ApiEndpoint::kCompletions), "http://h:1/v1/completions");
  EXPECT_EQ(parse_api_endpoint("chat"), ApiEndpoint::kChatCompletions);
  EXPECT_EQ(parse_api_endpoint("completions"), ApiEndpoint::kCompletions);
  EXPECT_EQ(api_endpoint_name(ApiEndpoint::kCompletions), "completions");
  EXPECT_THROW(parse_api_endpoint("responses"), InputError);
}

// TLS: a self-signed certificate made with the openssl command for this test.
TEST(ClientTlsTest, VerifiesCertificatesAndAcceptsAnExtraRoot) {
  testing::TempDir dir;
  const auto made =
      testing::run_command({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                            "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", dir.file("key.pem"), "-out", dir.file("cert.pem")});
  if (made.exit_code != 0) GTEST_SKIP() << "openssl could not make a certificate: " << made.err;
  llmdev::FakeServerOptions server_options;
  server_options.cert_file = dir.file("cert.pem");
  server_options.key_file = dir.file("key.pem");
  FakeOpenAiServer server(server_options);
  server.start();

  auto options = fast_options(server.base_url());
  auto result = run_one(options, "untrusted");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.attempts, 1);  // a verification failure is not retried
  EXPECT_NE(result.error.find("--ca-bundle"), std::string::npos) << result.error;

  options.ca_bundle = dir.file("cert.pem");
  result = run_one(options, "trusted");
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.answer.content, "echo: trusted");
}

}  // namespace
}  // namespace rrg::llm
