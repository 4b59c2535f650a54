// GREEN's judge prompt (Ostmeier et al., 2024), word for word, and the texts that wrap it for
// servers that need GREEN's own chat template.
//
// The prompt is data/prompts/green.v1.txt: the f-string of `make_prompt` in Stanford-AIMI/GREEN
// green_score/utils.py (identical in jbdel/RadEval radeval/metrics/green_score/utils.py), with
// its two fields {text1} (the reference) and {text2} (the candidate) left as they are, so that the
// file's SHA-256 is that of GREEN's own template text (origin and commits:
// data/prompts/green.v1.origin.md). It is compiled into rrg (src/metrics/green/CMakeLists.txt).
// Like make_prompt, each report is cut to its first 300 words of Python's str.split() and the
// words joined by single spaces before it is inserted.
//
// GREEN runs its model on the prompt wrapped in a chat template of its own (green.py sets
// tokenizer.chat_template and passes [{"from": "human", "value": prompt}, {"from": "gpt",
// "value": ""}] with add_generation_prompt=True; the tokenizer adds BOS and, with
// add_eos_token=True, EOS). Served models get the same text either from the server
// (data/prompts/green.chat_template.jinja for `vllm serve --chat-template`) or, on the
// Completions endpoint, from green_completion_template() below.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rrg::metrics::green {

// Words of each report kept by make_prompt (its max_len).
inline constexpr std::size_t kGreenMaxWords = 300;

// The prompt template, exactly as data/prompts/green.v1.txt holds it.
std::string_view green_prompt_template();

// "green-" + the first 8 hex digits of the SHA-256 of the template (the signature's prompt id).
std::string green_prompt_id();

// make_prompt(reference, candidate): both texts cut to kGreenMaxWords words, single-spaced.
std::string make_green_prompt(std::string_view reference, std::string_view candidate);

// " ".join(text.split()[:kGreenMaxWords]), as make_prompt does to each report.
std::string green_normalize_report(std::string_view text);

// GREEN's chat template rendered around one user message, for the Completions endpoint: the text
// of data/prompts/green.completion_template.txt, with `{prompt}` where the prompt goes (the
// server adds BOS, as GREEN's tokenizer does).
std::string_view green_completion_template();

// `templ` with its (first) `{prompt}` replaced by `prompt`; the prompt's own text is not searched
// for placeholders.
std::string apply_completion_template(std::string_view templ, std::string_view prompt);

// GREEN's chat template translated to OpenAI messages (role/content), for servers:
// data/prompts/green.chat_template.jinja.
std::string_view green_chat_template_jinja();

}  // namespace rrg::metrics::green
