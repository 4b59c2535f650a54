// libxlsxwriter wrapper (see xlsx_writer.h). libxlsxwriter writes by file name, so it writes
// the AtomicFile's temporary path and we rename it into place only after a successful close.
#include "rrg/io/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <stdexcept>

#include "rrg/io/atomic_file.h"

namespace rrg::io {

void write_xlsx(const std::string& path, const std::vector<XlsxSheet>& sheets) {
  AtomicFile file(path);
  file.close_stream();
  lxw_workbook* workbook = workbook_new(file.temp_path().c_str());
  if (workbook == nullptr) throw std::runtime_error(path + ": cannot create spreadsheet");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* highlight = workbook_add_format(workbook);
  format_set_bold(highlight);
  format_set_bg_color(highlight, 0xC6EFCE);
  for (const auto& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(workbook, sheet.name.c_str());
    if (ws == nullptr) {
      workbook_close(workbook);
      throw std::runtime_error(path + ": invalid sheet name '" + sheet.name + "'");
    }
    for (std::size_t c = 0; c < sheet.header.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
    }
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        const XlsxCell& cell = sheet.rows[r][c];
        const bool marked = std::find(sheet.highlighted.begin(), sheet.highlighted.end(),
                                      std::make_pair(r, c)) != sheet.highlighted.end();
        lxw_format* format = marked ? highlight : nullptr;
        if (const auto* text = std::get_if<std::string>(&cell)) {
          worksheet_write_string(ws, row, col, text->c_str(), format);
        } else if (const auto* number = std::get_if<double>(&cell)) {
          worksheet_write_number(ws, row, col, *number, format);
        }
      }
    }
    for (std::size_t c = 0; c < sheet.column_widths.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           sheet.column_widths[c], nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
  }
  const lxw_error status = workbook_close(workbook);
  if (status != LXW_NO_ERROR) {
    throw std::runtime_error(path + ": writing the spreadsheet failed (" + lxw_strerror(status) +
                             ")");
  }
  file.commit();
}

}  // namespace rrg::io
