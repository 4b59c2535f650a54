// Prompt template parsing and rendering (see prompt_template.h).
#include "rrg/text/prompt_template.h"

#include <algorithm>

#include "rrg/core/errors.h"
#include "rrg/text/suggest.h"

namespace rrg::text {
PromptTemplate::PromptTemplate(std::string text, const std::vector<std::string>& allowed,
                               std::string source)
    : text_(std::move(text)) {
  const auto fail = [&](std::size_t offset, const std::string& message) {
    const auto [line, col] = line_and_column(text_, offset);
    throw InputError(location_message(source, line, col, message));
  };
  std::string literal;
  for (std::size_t i = 0; i < text_.size(); ++i) {
    const char c = text_[i];
    if ((c == '{' || c == '}') && i + 1 < text_.size() && text_[i + 1] == c) {
      literal += c;  // "{{" or "}}"
      ++i;
      continue;
    }
    if (c == '}') fail(i, "unmatched '}' in the prompt template (write }} for a literal brace)");
    if (c != '{') {
      literal += c;
      continue;
    }
    const std::size_t close = text_.find_first_of("{}", i + 1);
    if (close == std::string::npos || text_[close] != '}') {
      fail(i, "unmatched '{' in the prompt template (write {{ for a literal brace)");
    }
    const std::string name = text_.substr(i + 1, close - i - 1);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "{" : ", {") + a + "}";
      fail(i, "unknown placeholder {" + name + "}" + did_you_mean(name, allowed) +
                  "; the placeholders are " + (known.empty() ? "none" : known) +
                  " (write {{ and }} for literal braces)");
    }
    if (!literal.empty()) pieces_.push_back({false, std::move(literal)});
    literal.clear();
    pieces_.push_back({true, name});
    i = close;
  }
  if (!literal.empty()) pieces_.push_back({false, std::move(literal)});
}

std::string PromptTemplate::render(const std::map<std::string, std::string>& values) const {
  std::string out;
  for (const auto& piece : pieces_) {
    if (!piece.placeholder) {
      out += piece.value;
    } else if (auto it = values.find(piece.value); it != values.end()) {
      out += it->second;
    }
  }
  return out;
}

bool PromptTemplate::uses(const std::string& name) const {
  return std::any_of(pieces_.begin(), pieces_.end(),
                     [&](const Piece& p) { return p.placeholder && p.value == name; });
}

}  // namespace rrg::text
