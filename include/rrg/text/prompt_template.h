// Prompt templates with named placeholders: "Indication: {indication}. Write the findings."
//
// Syntax follows Python's str.format for the part that matters here: {name} is replaced by
// the value of `name`, "{{" and "}}" are literal braces. Names are checked when the template is
// parsed, against the list the caller allows, so a typo fails before any request is sent
// instead of reaching the model verbatim.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rrg::text {

class PromptTemplate {
 public:
  // Parses `text`. `source` names the template in messages (a file path, or "--prompt").
  // Throws InputError "source:line:col: ..." for an unknown placeholder (with the known names
  // and a close match) or an unmatched brace.
  PromptTemplate(std::string text, const std::vector<std::string>& allowed, std::string source);

  // The text with every placeholder replaced; names missing from `values` become "".
  std::string render(const std::map<std::string, std::string>& values) const;

  // True when the template contains {name}.
  bool uses(const std::string& name) const;

  const std::string& text() const { return text_; }

 private:
  struct Piece {
    bool placeholder;   // false: literal text
    std::string value;  // literal text or placeholder name
  };
  std::string text_;
  std::vector<Piece> pieces_;
};

}  // namespace rrg::text
