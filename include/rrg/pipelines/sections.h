// `rrg sections`: reference files from free-text MIMIC-CXR reports. Each report is split with
// rrg/text/report_sections.h; the chosen section (first of the priority list the report has)
// becomes the record's "report", and the usual sections are kept alongside.
//
// Input: a folder tree of .txt reports (the mimic-cxr-reports layout files/pXX/pSUBJ/sSTUDY.txt,
// read recursively in path order; the id is the file name without ".txt" and without the "s"
// of MIMIC study names, so ids match `rrg generate --mimic`), or any report file `rrg evaluate`
// reads (JSONL, CSV, ...; the report text is its text field).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rrg/text/report_sections.h"

namespace rrg::pipelines {

// Sections written next to the chosen one, in this order.
const std::vector<std::string>& section_columns();

struct SectionsOptions {
  // Folder of .txt reports or a report file.
  std::string input;
  // Section names in order of preference (the MIMIC parser's impression, findings,
  // last_paragraph, comparison by default).
  std::vector<std::string> priority = text::default_section_priority();
  // Replace every run of whitespace (Python str.split()) with one space.
  bool collapse_whitespace = false;
  // Keep the "s" of "s50414267.txt" in ids.
  bool keep_s_prefix = false;
};

struct SectionsRecord {
  std::string id;
  std::optional<text::ChosenSection> chosen;
  std::map<std::string, std::string> sections;  // present columns only
};

struct SectionsResult {
  std::vector<SectionsRecord> records;               // input order
  std::map<std::string, std::size_t> chosen_counts;  // section name -> reports
  std::vector<std::string> without_section;          // ids with none of the priority sections
};

// Throws InputError for unknown section names (with a close match), unreadable input and
// duplicated ids.
SectionsResult extract_sections(const SectionsOptions& options);

enum class SectionsFormat { kJsonl, kCsv, kSeed };

// "jsonl", "csv", "seed"; throws InputError otherwise.
SectionsFormat parse_sections_format(const std::string& name);

// jsonl: {"id", "report", "section", <columns>: text or null} per line.
// csv:   id,report,section,<columns> with a header row ("" for absent sections).
// seed:  {"test": [{"id", "report"}]}, the original toolkit's reference file.
// Reports without a chosen section are left out unless `keep_empty` (then "report" is "").
std::string format_sections(const SectionsResult& result, SectionsFormat format, bool keep_empty);

}  // namespace rrg::pipelines
