// Prompt templates of the LLM labeler: the built-in ones (data/prompts/*.txt, compiled into rrg)
// and user files given with --prompt-file.
//
// Template format: optional leading comment lines starting with '#' (a `# prompt-id: NAME` line
// names the built-in prompts), then a `[system]` section (optional) and a `[user]` section; a file
// without section headers is one user message. `{report}` is replaced by the report text and must
// occur in the user section. The prompt id goes into cache keys and the labeler's signature:
// built-in prompts carry a versioned id ("rrg-chexpert14-uzeros.v1"); a --prompt-file's id is
// "file-" + the first 12 hex digits of the SHA-256 of its bytes, so editing the file never reuses
// answers cached for the old wording.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rrg/labelers/llm/llm_answer.h"

namespace rrg::labelers {

struct LlmPrompt {
  std::string id;
  std::string system;  // empty = no system message
  std::string user;    // contains {report}

  // The built-in prompt of a label scheme.
  static LlmPrompt builtin(LabelScheme scheme);

  // Reads a template file; throws rrg::InputError naming the file when it cannot be read or
  // lacks {report}.
  static LlmPrompt from_file(const std::string& path);

  // Parses template text; `origin` names it in errors; `id` is used when the text declares none.
  static LlmPrompt parse(std::string_view text, const std::string& origin, std::string id);

  // The messages array for one report.
  nlohmann::json messages(std::string_view report) const;
};

}  // namespace rrg::labelers
