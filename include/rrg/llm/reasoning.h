// Separating a reasoning model's thinking from its answer.
//
// Reasoning models (DeepSeek-R1, Qwen3, QwQ, ...) served without a reasoning parser put their
// thinking into the answer text as `<think>…</think>`; chat templates that open the block in the
// prompt (Qwen3 with thinking enabled) leave only an orphan `…</think>` at the start of the
// answer; and a model that runs out of max_tokens while thinking leaves an unclosed `<think>`.
// Servers that do parse reasoning return it in a separate `reasoning_content` (vLLM, DeepSeek)
// or `reasoning` (Ollama, OpenRouter) field, which response.cpp reads.
#pragma once

#include <string>
#include <string_view>

namespace rrg::llm {

struct SplitAnswer {
  std::string content;     // the answer without any thinking, surrounding whitespace trimmed
  std::string reasoning;   // the thinking (blocks joined by blank lines), trimmed; may be empty
  bool truncated = false;  // an opened <think> never closed: the answer was cut off mid-thought
};

// Splits `text`: every `<think>…</think>` block goes to reasoning; text before an orphan leading
// `</think>` (with no opening tag) is reasoning; an unclosed `<think>` makes the rest reasoning
// and sets `truncated`.
SplitAnswer split_reasoning(std::string_view text);

}  // namespace rrg::llm
