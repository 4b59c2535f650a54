// Reading report files in the formats the field uses, into one in-memory shape.
//
// Formats (detected from the extension and the content; forced with ReportFormat):
//   jsonl   one object per line: {"id", "report"|"output"|"prediction"|"text", "references"?}
//   seed    the original toolkit's JSON: {"test": [{"id", "output"}]} for predictions,
//           {"train"|"val"|"test": [{"id", "report", ...}]} for references (all splits are
//           read; this is also R2Gen's annotation.json)
//   r2gen   R2Gen/R2GenGPT result JSON: {id: [text, ...]}
//   csv     header row with an id column (id, study_id, dicom_id) and a text column (report,
//           output, prediction, text, Report Impression); without an id column rows are
//           numbered 1..N
//   text    one report per line, numbered 1..N
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::io {

enum class ReportFormat { kAuto, kJsonl, kSeed, kR2Gen, kCsv, kText };

// "auto", "jsonl", "seed", "r2gen", "csv", "text".
std::string_view report_format_name(ReportFormat format);

// Parses a format name (as above; also "json" = auto-detect among the JSON formats). Throws
// rrg::InputError naming the known formats.
ReportFormat parse_report_format(std::string_view name);

struct ReportRecord {
  std::string id;
  // texts[0] is the report; further entries are additional references ("references": [...],
  // or several texts in an R2Gen result list). Never empty.
  std::vector<std::string> texts;
  // An error recorded by the producer (e.g. `rrg generate` could not get an answer); the text
  // is then empty and the record counts as invalid.
  std::string error;
  std::size_t line = 0;  // 1-based line (jsonl, csv, text) or 1-based record index (json)
};

struct ReportFile {
  std::string path;
  ReportFormat format = ReportFormat::kAuto;  // the format actually read
  // True when ids are positions (text files, CSV without an id column): such files pair with
  // the other side by position.
  bool positional_ids = false;
  std::vector<ReportRecord> records;
};

// Reads and validates a whole report file. Throws rrg::InputError for unreadable paths,
// malformed content (file:line:column), invalid UTF-8, missing keys (naming the expected keys),
// duplicated ids (naming how many and the first ones) and empty files. A JSONL file of a
// megabyte or more is parsed on `threads` threads (0 = every core); the records and any error
// are the same on any number.
ReportFile read_report_file(const std::string& path, ReportFormat format = ReportFormat::kAuto,
                            std::size_t threads = 1);

// Same, from content already in memory (`path` names it in messages and guides detection).
ReportFile parse_report_file(const std::string& path, std::string_view content,
                             ReportFormat format = ReportFormat::kAuto, std::size_t threads = 1);

// Reads a whole file into memory. Throws rrg::InputError when it cannot be read.
std::string read_text_file(const std::string& path);

}  // namespace rrg::io
