// Splitting free-text MIMIC-CXR reports into sections, following the public rules of the
// MIMIC-CXR section parser (MIT-LCP, txt/section_parser.py and txt/create_section_files.py;
// Johnson et al., MIMIC-CXR, Scientific Data 2019):
//
// 1. Headers: a newline, one space, then a run of capital letters, spaces and ( ) / , - , then
//    a colon and one whitespace character (Python's `\n ([A-Z ()/,-]+):\s`). Text before the
//    first header is the "preamble"; a report without headers is one "full report" section.
//    After a header, the search for the next one resumes only after the end of the header's own
//    line (the parser's guard against bad parses).
// 2. Names are lower-cased, stripped and normalised: a table of frequent names and typos
//    ("conclusion" -> impression, "reason for exam" -> indication, "findngs" -> findings, ...),
//    else the first of impression, findings, history, comparison, addendum the name contains,
//    else "findings" when it describes the study ("chest", "pa and lateral", "portable", ...).
// 3. Empty impression/findings sections are dropped. When neither remains, the last section is
//    split at its first blank line ("\n \n" in MIMIC's fixed-width text) and everything after
//    it becomes "last_paragraph".
// 4. A named section's text is the *last* section of that name, stripped; the report's
//    conclusion is the first available of impression > findings > last_paragraph > comparison.
//
// Not reproduced: create_section_files.py's hand-made exceptions for ~50 individual MIMIC
// studies (custom_mimic_cxr_rules), which are data about specific reports rather than rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::text {

struct ReportSection {
  std::string name;  // normalised name ("findings", "impression", "preamble", ...)
  std::string text;  // raw text, as in the report (not stripped)
};

// Steps 1-3 above. `report` is UTF-8; whitespace follows Python's str rules.
std::vector<ReportSection> split_report_sections(std::string_view report);

// Step 2 for one raw header ("FINDINGS", "Chest, PA and lateral", ...).
std::string normalize_section_name(std::string_view raw_name);

// The text of the last section called `name`, stripped (Python str.strip()); nullopt when there
// is none.
std::optional<std::string> section_text(const std::vector<ReportSection>& sections,
                                        std::string_view name);

// The MIMIC parser's order for a report's conclusion.
const std::vector<std::string>& default_section_priority();

// The first name of `priority` that the report has, and its section_text; nullopt when none.
struct ChosenSection {
  std::string name;
  std::string text;
};
std::optional<ChosenSection> choose_section(const std::vector<ReportSection>& sections,
                                            const std::vector<std::string>& priority);

}  // namespace rrg::text
