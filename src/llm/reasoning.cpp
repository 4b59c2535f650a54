// <think> block handling (see reasoning.h).
#include "rrg/llm/reasoning.h"

namespace rrg::llm {
namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

void add_reasoning(std::string& reasoning, std::string_view part) {
  part = trim(part);
  if (part.empty()) return;
  if (!reasoning.empty()) reasoning += "\n\n";
  reasoning.append(part);
}

}  // namespace

SplitAnswer split_reasoning(std::string_view text) {
  SplitAnswer out;
  std::string content;
  std::size_t pos = 0;

  // An orphan closing tag before any opening tag: the template opened the block in the prompt.
  const auto first_open = text.find(kOpen);
  const auto first_close = text.find(kClose);
  if (first_close != std::string_view::npos &&
      (first_open == std::string_view::npos || first_close < first_open)) {
    add_reasoning(out.reasoning, text.substr(0, first_close));
    pos = first_close + kClose.size();
  }

  while (pos < text.size()) {
    const auto open = text.find(kOpen, pos);
    if (open == std::string_view::npos) {
      content.append(text.substr(pos));
      break;
    }
    content.append(text.substr(pos, open - pos));
    const auto body = open + kOpen.size();
    const auto close = text.find(kClose, body);
    if (close == std::string_view::npos) {
      add_reasoning(out.reasoning, text.substr(body));
      out.truncated = true;
      break;
    }
    add_reasoning(out.reasoning, text.substr(body, close - body));
    pos = close + kClose.size();
  }
  out.content = std::string(trim(content));
  return out;
}

}  // namespace rrg::llm
