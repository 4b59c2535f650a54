// A minimal spreadsheet writer over libxlsxwriter: sheets of text/number cells with a bold
// header row, written atomically (temporary file + rename on close()).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rrg::io {

using XlsxCell = std::variant<std::monostate, std::string, double>;  // empty, text, number
using XlsxRow = std::vector<XlsxCell>;

struct XlsxSheet {
  std::string name;  // at most 31 characters, no []:*?/\ (Excel rules)
  std::vector<std::string> header;
  std::vector<XlsxRow> rows;
  std::vector<double> column_widths;  // optional, in characters
  // Cells to highlight (bold on a light green fill), as (row index into `rows`, column).
  std::vector<std::pair<std::size_t, std::size_t>> highlighted;
};

// Writes `sheets` to `path` atomically. Throws std::runtime_error when libxlsxwriter fails and
// rrg::InputError when the directory is not writable.
void write_xlsx(const std::string& path, const std::vector<XlsxSheet>& sheets);

}  // namespace rrg::io
