// libxlsxwriter wrapper (see xlsx_writer.h). libxlsxwriter writes by file name, so it writes
// the AtomicFile's temporary path and we rename it into place only after a successful close.
// libxlsxwriter is not linked: it (with minizip and libcrypto) is opened the first time a
// spreadsheet is written, so that other commands do not map it at start-up (issue 16).
#include "rrg/io/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "rrg/core/module_loader.h"
#include "rrg/io/atomic_file.h"

namespace rrg::io {
namespace {

struct Libxlsxwriter {
  decltype(&::workbook_new) workbook_new;
  decltype(&::workbook_add_format) workbook_add_format;
  decltype(&::workbook_add_worksheet) workbook_add_worksheet;
  decltype(&::workbook_close) workbook_close;
  decltype(&::format_set_bold) format_set_bold;
  decltype(&::format_set_bg_color) format_set_bg_color;
  decltype(&::worksheet_write_string) worksheet_write_string;
  decltype(&::worksheet_write_number) worksheet_write_number;
  decltype(&::worksheet_set_column) worksheet_set_column;
  decltype(&::worksheet_freeze_panes) worksheet_freeze_panes;
  decltype(&::lxw_strerror) lxw_strerror;
};

// libxlsxwriter, opened once (a failed load is remembered and its message repeated).
const Libxlsxwriter& libxlsxwriter() {
  static Libxlsxwriter x{};
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    constexpr const char* kSoname = "libxlsxwriter.so.4";
    constexpr const char* kPackage = "libxlsxwriter4";
    try {
      void* h = open_system_library(kSoname, "writing .xlsx files", kPackage);
      library_function(h, kSoname, "workbook_new", kPackage, x.workbook_new);
      library_function(h, kSoname, "workbook_add_format", kPackage, x.workbook_add_format);
      library_function(h, kSoname, "workbook_add_worksheet", kPackage, x.workbook_add_worksheet);
      library_function(h, kSoname, "workbook_close", kPackage, x.workbook_close);
      library_function(h, kSoname, "format_set_bold", kPackage, x.format_set_bold);
      library_function(h, kSoname, "format_set_bg_color", kPackage, x.format_set_bg_color);
      library_function(h, kSoname, "worksheet_write_string", kPackage, x.worksheet_write_string);
      library_function(h, kSoname, "worksheet_write_number", kPackage, x.worksheet_write_number);
      library_function(h, kSoname, "worksheet_set_column", kPackage, x.worksheet_set_column);
      library_function(h, kSoname, "worksheet_freeze_panes", kPackage, x.worksheet_freeze_panes);
      library_function(h, kSoname, "lxw_strerror", kPackage, x.lxw_strerror);
    } catch (const std::exception& e) {
      error = std::string("xlsx: ") + e.what();
    }
  });
  if (!error.empty()) throw std::runtime_error(error);
  return x;
}

}  // namespace

void write_xlsx(const std::string& path, const std::vector<XlsxSheet>& sheets) {
  const Libxlsxwriter& x = libxlsxwriter();
  AtomicFile file(path);
  file.close_stream();
  lxw_workbook* workbook = x.workbook_new(file.temp_path().c_str());
  if (workbook == nullptr) throw std::runtime_error(path + ": cannot create spreadsheet");
  lxw_format* bold = x.workbook_add_format(workbook);
  x.format_set_bold(bold);
  lxw_format* highlight = x.workbook_add_format(workbook);
  x.format_set_bold(highlight);
  x.format_set_bg_color(highlight, 0xC6EFCE);
  for (const auto& sheet : sheets) {
    lxw_worksheet* ws = x.workbook_add_worksheet(workbook, sheet.name.c_str());
    if (ws == nullptr) {
      x.workbook_close(workbook);
      throw std::runtime_error(path + ": invalid sheet name '" + sheet.name + "'");
    }
    for (std::size_t c = 0; c < sheet.header.size(); ++c) {
      x.worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
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
          x.worksheet_write_string(ws, row, col, text->c_str(), format);
        } else if (const auto* number = std::get_if<double>(&cell)) {
          x.worksheet_write_number(ws, row, col, *number, format);
        }
      }
    }
    for (std::size_t c = 0; c < sheet.column_widths.size(); ++c) {
      x.worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                             sheet.column_widths[c], nullptr);
    }
    x.worksheet_freeze_panes(ws, 1, 0);
  }
  const lxw_error status = x.workbook_close(workbook);
  if (status != LXW_NO_ERROR) {
    throw std::runtime_error(path + ": writing the spreadsheet failed (" + x.lxw_strerror(status) +
                             ")");
  }
  file.commit();
}

}  // namespace rrg::io
