// GREEN's prompt (see green_prompt.h). The texts come from data/prompts/ through a header that
// src/metrics/green/CMakeLists.txt generates.
#include "rrg/metrics/green/green_prompt.h"

#include "rrg/io/sha256.h"
#include "rrg/metrics/green/green_prompts_data.h"
#include "rrg/text/python_str.h"

namespace rrg::metrics::green {
namespace {

constexpr std::string_view kReferenceField = "{text1}";
constexpr std::string_view kCandidateField = "{text2}";
constexpr std::string_view kPromptField = "{prompt}";

}  // namespace

std::string_view green_prompt_template() {
  return kGreenPromptTemplate;
}

std::string green_prompt_id() {
  static const std::string id = "green-" + io::sha256_hex(green_prompt_template()).substr(0, 8);
  return id;
}

std::string green_normalize_report(std::string_view text) {
  const auto words = text::python_split(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < words.size() && i < kGreenMaxWords; ++i) {
    if (i > 0) out.push_back(' ');
    out.append(words[i]);
  }
  return out;
}

std::string make_green_prompt(std::string_view reference, std::string_view candidate) {
  // The f-string has each field once, the reference before the candidate.
  const std::string_view templ = green_prompt_template();
  const auto ref_at = templ.find(kReferenceField);
  const auto cand_at = templ.find(kCandidateField, ref_at);
  std::string out;
  out.reserve(templ.size() + reference.size() + candidate.size());
  out.append(templ.substr(0, ref_at));
  out.append(green_normalize_report(reference));
  out.append(
      templ.substr(ref_at + kReferenceField.size(), cand_at - ref_at - kReferenceField.size()));
  out.append(green_normalize_report(candidate));
  out.append(templ.substr(cand_at + kCandidateField.size()));
  return out;
}

std::string_view green_completion_template() {
  return kGreenCompletionTemplate;
}

std::string apply_completion_template(std::string_view templ, std::string_view prompt) {
  const auto at = templ.find(kPromptField);
  if (at == std::string_view::npos) return std::string(templ);
  std::string out;
  out.reserve(templ.size() + prompt.size());
  out.append(templ.substr(0, at));
  out.append(prompt);
  out.append(templ.substr(at + kPromptField.size()));
  return out;
}

std::string_view green_chat_template_jinja() {
  return kGreenChatTemplateJinja;
}

}  // namespace rrg::metrics::green
