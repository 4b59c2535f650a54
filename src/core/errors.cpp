// Formatting helpers for rrg::InputError messages.
#include "rrg/core/errors.h"

#include <algorithm>

namespace rrg {

std::string location_message(const std::string& path, std::size_t line, std::size_t column,
                             const std::string& message) {
  std::string out = path;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += ": ";
  out += message;
  return out;
}

std::string sample_list(const std::vector<std::string>& items, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < shown; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > shown) out += ", ...";
  return out;
}

std::pair<std::size_t, std::size_t> line_and_column(std::string_view content, std::size_t offset) {
  offset = std::min(offset, content.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (content[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

}  // namespace rrg
