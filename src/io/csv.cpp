// RFC 4180 CSV parser and writer (see csv.h).
#include "rrg/io/csv.h"

#include "rrg/core/errors.h"

namespace rrg::io {

std::vector<CsvRow> parse_csv(std::string_view content, const std::string& path) {
  std::vector<CsvRow> rows;
  std::size_t i = 0;
  if (content.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  std::size_t line = 1;
  std::size_t line_start = i;
  const std::size_t n = content.size();
  while (i < n) {
    // Skip blank lines between rows.
    if (content[i] == '\n' || content[i] == '\r') {
      if (content[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
      ++i;
      continue;
    }
    CsvRow row;
    row.line = line;
    std::string field;
    bool row_done = false;
    while (!row_done) {
      field.clear();
      if (i < n && content[i] == '"') {
        const std::size_t quote_line = line, quote_col = i - line_start + 1;
        ++i;
        for (;;) {
          if (i >= n) {
            throw InputError(location_message(path, quote_line, quote_col,
                                              "quoted CSV field is never closed (missing '\"')"));
          }
          const char c = content[i];
          if (c == '"') {
            if (i + 1 < n && content[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n') {
            ++line;
            line_start = i + 1;
          }
          field.push_back(c);
          ++i;
        }
        if (i < n && content[i] != ',' && content[i] != '\n' && content[i] != '\r') {
          throw InputError(location_message(path, line, i - line_start + 1,
                                            "unexpected character after a closing quote in a CSV "
                                            "field (quotes inside a field must be doubled: \"\")"));
        }
      } else {
        while (i < n && content[i] != ',' && content[i] != '\n' && content[i] != '\r') {
          field.push_back(content[i]);
          ++i;
        }
      }
      row.fields.push_back(field);
      if (i >= n) {
        row_done = true;
      } else if (content[i] == ',') {
        ++i;
      } else {
        if (content[i] == '\r') ++i;
        if (i < n && content[i] == '\n') {
          ++i;
          ++line;
          line_start = i;
        }
        row_done = true;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void append_csv_field(std::string_view field, std::string& out) {
  bool needs_quotes = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!field.empty() && (field.front() == ' ' || field.back() == ' ')) needs_quotes = true;
  if (!needs_quotes) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_csv_row(const std::vector<std::string>& fields, std::string& out) {
  for (std::size_t k = 0; k < fields.size(); ++k) {
    if (k > 0) out.push_back(',');
    append_csv_field(fields[k], out);
  }
  out.push_back('\n');
}

}  // namespace rrg::io
