// CSV reading and writing (RFC 4180: comma separator, double-quoted fields that may hold commas,
// quotes ("") and newlines). Used for report files, per-sample results and CheXbert-style label
// files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::io {

struct CsvRow {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based line where the row starts
};

// Parses a whole CSV document. `path` is only used in error messages. Throws rrg::InputError for
// an unterminated quoted field or text after a closing quote ("file:line:col: ..."). A UTF-8 BOM
// is skipped; both "\n" and "\r\n" end rows; blank lines are skipped.
std::vector<CsvRow> parse_csv(std::string_view content, const std::string& path);

// Appends one field, quoted when it contains a comma, quote, CR or LF (or leading/trailing
// spaces), to `out`.
void append_csv_field(std::string_view field, std::string& out);

// Appends fields joined by commas and a final "\n".
void append_csv_row(const std::vector<std::string>& fields, std::string& out);

}  // namespace rrg::io
