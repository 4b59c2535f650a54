// Tests of response parsing (src/llm/response.cpp): both error-body shapes, reasoning fields,
// content parts, SSE streams, Completions answers (choices[0].text).
#include "rrg/llm/response.h"

#include <gtest/gtest.h>

namespace rrg::llm {
namespace {

TEST(ParseChatResponse, ReadsContentFinishReasonUsageAndModel) {
  const auto parsed = parse_chat_response(
      R"({"model":"m1","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},)"
      R"("finish_reason":"stop"}],"usage":{"total_tokens":7}})");
  ASSERT_EQ(parsed.status, ResponseStatus::kOk) << parsed.error;
  EXPECT_EQ(parsed.answer.content, "hi");
  EXPECT_EQ(parsed.answer.finish_reason, "stop");
  EXPECT_EQ(parsed.answer.model, "m1");
  EXPECT_EQ(parsed.answer.usage["total_tokens"], 7);
}

TEST(ParseChatResponse, ReadsReasoningContentAndReasoningFields) {
  auto parsed = parse_chat_response(
      R"({"choices":[{"message":{"content":"A","reasoning_content":"R1"},"finish_reason":"stop"}]})");
  ASSERT_EQ(parsed.status, ResponseStatus::kOk);
  EXPECT_EQ(parsed.answer.content, "A");
  EXPECT_EQ(parsed.answer.reasoning, "R1");
  parsed = parse_chat_response(
      R"({"choices":[{"message":{"content":"B","reasoning":"R2"},"finish_reason":"stop"}]})");
  EXPECT_EQ(parsed.answer.reasoning, "R2");
}

TEST(ParseChatResponse, ReasoningOnlyWithLengthIsTruncatedThinking) {
  const auto parsed = parse_chat_response(
      R"({"choices":[{"message":{"content":null,"reasoning_content":"so far"},"finish_reason":"length"}]})");
  ASSERT_EQ(parsed.status, ResponseStatus::kOk);
  EXPECT_TRUE(parsed.answer.reasoning_truncated);
  EXPECT_EQ(parsed.answer.content, "");
}

TEST(ParseChatResponse, ContentPartsAreConcatenated) {
  const auto parsed = parse_chat_response(
      R"({"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]})");
  EXPECT_EQ(parsed.answer.content, "ab");
}

TEST(ParseChatResponse, OpenAiErrorShape) {
  const auto parsed = parse_chat_response(
      R"({"error":{"message":"Invalid model","type":"invalid_request_error","param":"model","code":"model_not_found"}})");
  EXPECT_EQ(parsed.status, ResponseStatus::kServerError);
  EXPECT_EQ(parsed.error, "model_not_found: Invalid model (param: model)");
}

TEST(ParseChatResponse, VllmTopLevelErrorShape) {
  const auto parsed = parse_chat_response(
      R"({"object":"error","message":"context too long","type":"BadRequestError","param":null,"code":400})");
  EXPECT_EQ(parsed.status, ResponseStatus::kServerError);
  EXPECT_EQ(parsed.error, "BadRequestError: context too long");
}

TEST(ParseChatResponse, OllamaStringError) {
  EXPECT_EQ(describe_error_body(R"({"error":"model 'x' not found"})"), "model 'x' not found");
}

TEST(ParseChatResponse, MalformedBodies) {
  EXPECT_EQ(parse_chat_response("<html>Bad Gateway</html>").status, ResponseStatus::kMalformed);
  EXPECT_EQ(parse_chat_response(R"({"choices": [{"message": {"content": "tru)").status,
            ResponseStatus::kMalformed);
  EXPECT_EQ(parse_chat_response(R"({"choices": []})").status, ResponseStatus::kMalformed);
  EXPECT_EQ(describe_error_body(""), "empty body");
  EXPECT_EQ(describe_error_body("line1\nline2"), "body: line1\\nline2");
}

TEST(ParseChatStream, AssemblesDeltasUsageAndReasoning) {
  const std::string body =
      ": keep-alive\n\n"
      "data: "
      "{\"model\":\"m\",\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"think \"}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"more\"}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\r\n\r\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
      "data: {\"choices\":[],\"usage\":{\"total_tokens\":3}}\n\n"
      "data: [DONE]\n\n";
  const auto parsed = parse_chat_stream(body);
  ASSERT_EQ(parsed.status, ResponseStatus::kOk) << parsed.error;
  EXPECT_EQ(parsed.answer.content, "Hello");
  EXPECT_EQ(parsed.answer.reasoning, "think more");
  EXPECT_EQ(parsed.answer.finish_reason, "stop");
  EXPECT_EQ(parsed.answer.usage["total_tokens"], 3);
  EXPECT_EQ(parsed.answer.model, "m");
  // parse_chat_response recognises a stream too.
  EXPECT_EQ(parse_chat_response(body).answer.content, "Hello");
}

TEST(ParseChatStream, ErrorEventAndEarlyEnd) {
  auto parsed =
      parse_chat_stream("data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n");
  EXPECT_EQ(parsed.status, ResponseStatus::kServerError);
  EXPECT_EQ(parsed.error, "server_error: boom");
  parsed = parse_chat_stream("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n");
  EXPECT_EQ(parsed.status, ResponseStatus::kMalformed);
}

TEST(ParseCompletionResponse, ReadsChoicesText) {
  const auto parsed = parse_chat_response(
      R"({"object":"text_completion","model":"m2","choices":[{"index":0,"text":" [Matched)"
      R"( Findings]:\n1. A.","finish_reason":"length"}],"usage":{"total_tokens":9}})");
  ASSERT_EQ(parsed.status, ResponseStatus::kOk) << parsed.error;
  EXPECT_EQ(parsed.answer.content, "[Matched Findings]:\n1. A.");
  EXPECT_EQ(parsed.answer.finish_reason, "length");
  EXPECT_EQ(parsed.answer.model, "m2");
  EXPECT_EQ(parsed.answer.usage["total_tokens"], 9);
  EXPECT_FALSE(parsed.answer.reasoning_truncated);
  // Thinking in a completion is split off like in a chat answer.
  const auto thinking = parse_chat_response(
      R"({"choices":[{"text":"<think>hm</think>Answer","finish_reason":"stop"}]})");
  EXPECT_EQ(thinking.answer.content, "Answer");
  EXPECT_EQ(thinking.answer.reasoning, "hm");
  // Neither message nor text: malformed.
  EXPECT_EQ(parse_chat_response(R"({"choices":[{"index":0,"finish_reason":"stop"}]})").status,
            ResponseStatus::kMalformed);
}

TEST(ParseCompletionStream, ConcatenatesTextPieces) {
  const std::string body =
      "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"Hel\"}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"text\":\"lo\",\"finish_reason\":\"stop\"}]}\n\n"
      "data: {\"choices\":[],\"usage\":{\"total_tokens\":4}}\n\n"
      "data: [DONE]\n\n";
  const auto parsed = parse_chat_stream(body);
  ASSERT_EQ(parsed.status, ResponseStatus::kOk) << parsed.error;
  EXPECT_EQ(parsed.answer.content, "Hello");
  EXPECT_EQ(parsed.answer.finish_reason, "stop");
  EXPECT_EQ(parsed.answer.usage["total_tokens"], 4);
}

}  // namespace
}  // namespace rrg::llm
