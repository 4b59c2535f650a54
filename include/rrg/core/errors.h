// Error types shared by all rrg libraries.
//
// Libraries never print or exit: they throw. `InputError` means the user gave rrg something it
// cannot use (a malformed file, an unknown metric name, a bad flag combination); the CLI turns it
// into exit status 2. Any other std::exception is a failure of the environment or of rrg itself
// and becomes exit status 1. The message of an InputError is complete on its own: it names the
// file, the line/column or record, what was expected, and what to do.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rrg {

class InputError : public std::invalid_argument {
 public:
  explicit InputError(const std::string& message) : std::invalid_argument(message) {}
};

// Formats "path:line:column: message" (line/column omitted when 0), the layout compilers and
// linters use, so editors can jump to the spot.
std::string location_message(const std::string& path, std::size_t line, std::size_t column,
                             const std::string& message);

}  // namespace rrg

namespace rrg {

// The first `shown` items joined by ", ", with ", ..." when there are more: "a, b, c, ...".
// For messages that name some of many ids (missing, duplicated, skipped).
std::string sample_list(const std::vector<std::string>& items, std::size_t shown = 5);

// 1-based line and column of byte `offset` in `content` (clamped to its end), for turning a
// parser's byte position into a location_message.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view content, std::size_t offset);

}  // namespace rrg
