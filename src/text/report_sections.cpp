// MIMIC-CXR report sectioning (see report_sections.h). Byte offsets replace Python's code-point
// offsets; every pattern character is ASCII, so matches are the same.
#include "rrg/text/report_sections.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "rrg/text/python_str.h"

namespace rrg::text {
namespace {

// Header characters: [A-Z ()/,-].
bool is_header_char(char c) {
  return (c >= 'A' && c <= 'Z') || c == ' ' || c == '(' || c == ')' || c == '/' || c == ',' ||
         c == '-';
}

struct HeaderMatch {
  std::size_t start = 0;       // the "\n"
  std::size_t name_begin = 0;  // group 1
  std::size_t name_end = 0;
  std::size_t end = 0;  // after the whitespace that follows the colon
};

// re.search of `\n ([A-Z ()/,-]+):\s` from `from`. The character class excludes ':', so the
// greedy run must end exactly at the colon: no backtracking is needed.
std::optional<HeaderMatch> find_header(std::string_view text, std::size_t from) {
  for (std::size_t i = text.find('\n', from); i != std::string_view::npos;
       i = text.find('\n', i + 1)) {
    if (i + 1 >= text.size() || text[i + 1] != ' ') continue;
    std::size_t j = i + 2;
    while (j < text.size() && is_header_char(text[j])) ++j;
    if (j == i + 2 || j >= text.size() || text[j] != ':') continue;
    const std::size_t space = python_space_length(text, j + 1);
    if (space == 0) continue;
    return HeaderMatch{i, i + 2, j, j + 1 + space};
  }
  return std::nullopt;
}

bool is_blank(std::string_view s) {
  return python_strip(s).empty();
}

// Frequent section names and their typos, with the parser's normalised name. The comments in
// the reference give counts over MIMIC-CXR; rare typos were mapped by hand there. Note
// "ndication" -> impression is the reference's own mapping and is kept as is.
constexpr std::pair<std::string_view, std::string_view> kFrequentNames[] = {
    {"preamble", "preamble"},
    {"impression", "impression"},
    {"comparison", "comparison"},
    {"indication", "indication"},
    {"findings", "findings"},
    {"examination", "examination"},
    {"technique", "technique"},
    {"history", "history"},
    {"comparisons", "comparison"},
    {"clinical history", "history"},
    {"reason for examination", "indication"},
    {"notification", "notification"},
    {"reason for exam", "indication"},
    {"clinical information", "history"},
    {"exam", "examination"},
    {"clinical indication", "indication"},
    {"conclusion", "impression"},
    {"chest, two views", "findings"},
    {"recommendation(s)", "recommendations"},
    {"type of examination", "examination"},
    {"reference exam", "comparison"},
    {"patient history", "history"},
    {"addendum", "addendum"},
    {"comparison exam", "comparison"},
    {"date", "date"},
    {"comment", "comment"},
    {"findings and impression", "impression"},
    {"wet read", "wet read"},
    {"comparison film", "comparison"},
    {"recommendations", "recommendations"},
    {"findings/impression", "impression"},
    {"pfi", "history"},
    {"recommendation", "recommendations"},
    {"wetread", "wet read"},
    {"ndication", "impression"},
    {"impresson", "impression"},
    {"imprression", "impression"},
    {"imoression", "impression"},
    {"impressoin", "impression"},
    {"imprssion", "impression"},
    {"impresion", "impression"},
    {"imperssion", "impression"},
    {"mpression", "impression"},
    {"impession", "impression"},
    {"findings/ impression", "impression"},
    {"finding", "findings"},
    {"findins", "findings"},
    {"findindgs", "findings"},
    {"findgings", "findings"},
    {"findngs", "findings"},
    {"findnings", "findings"},
    {"finidngs", "findings"},
    {"idication", "indication"},
    {"reference findings", "findings"},
    {"comparision", "comparison"},
    {"comparsion", "comparison"},
    {"comparrison", "comparison"},
    {"comparisions", "comparison"},
};

// Names containing one of these become that name (checked in this order).
constexpr std::string_view kMainSections[] = {"impression", "findings", "history", "comparison",
                                              "addendum"};

// Phrases describing the whole study: a name containing one is a findings section.
constexpr std::string_view kFindingsPhrases[] = {
    "chest",          "portable",       "pa and lateral",  "lateral and pa",
    "ap and lateral", "lateral and ap", "frontal and",     "two views",
    "frontal view",   "pa view",        "ap view",         "one view",
    "lateral view",   "bone window",    "frontal upright", "frontal semi-upright",
    "ribs",           "pa and lat"};

constexpr std::string_view kBlankLine = "\n \n";

}  // namespace

std::string normalize_section_name(std::string_view raw_name) {
  const std::string name(python_strip(python_lower(raw_name)));
  for (const auto& [from, to] : kFrequentNames) {
    if (name == from) return std::string(to);
  }
  for (const auto main : kMainSections) {
    if (name.find(main) != std::string::npos) return std::string(main);
  }
  for (const auto phrase : kFindingsPhrases) {
    if (name.find(phrase) != std::string::npos) return "findings";
  }
  return name;
}

std::vector<ReportSection> split_report_sections(std::string_view text) {
  std::vector<ReportSection> sections;
  std::optional<HeaderMatch> header = find_header(text, 0);
  if (!header) {
    sections.push_back({"full report", std::string(text)});
  } else {
    sections.push_back({"preamble", std::string(text.substr(0, header->name_begin))});
    while (header) {
      const std::string_view raw_name =
          text.substr(header->name_begin, header->name_end - header->name_begin);
      const std::size_t start = header->end;
      // Resume after the end of the header's line ("skip past the first newline").
      const std::size_t newline = text.find('\n', start);
      header = find_header(text, newline == std::string_view::npos ? start : newline);
      const std::size_t end = header ? header->start : text.size();
      sections.push_back({std::string(raw_name), std::string(text.substr(start, end - start))});
    }
  }
  for (auto& section : sections) section.name = normalize_section_name(section.name);

  sections.erase(std::remove_if(sections.begin(), sections.end(),
                                [](const ReportSection& s) {
                                  return (s.name == "impression" || s.name == "findings") &&
                                         is_blank(s.text);
                                }),
                 sections.end());

  const auto has = [&](std::string_view name) {
    return std::any_of(sections.begin(), sections.end(),
                       [&](const ReportSection& s) { return s.name == name; });
  };
  if (!sections.empty() && !has("impression") && !has("findings")) {
    std::string& last = sections.back().text;
    if (const auto blank = last.find(kBlankLine); blank != std::string::npos) {
      ReportSection paragraph{"last_paragraph", last.substr(blank + kBlankLine.size())};
      last.erase(blank);
      sections.push_back(std::move(paragraph));
    }
  }
  return sections;
}

std::optional<std::string> section_text(const std::vector<ReportSection>& sections,
                                        std::string_view name) {
  for (auto it = sections.rbegin(); it != sections.rend(); ++it) {
    if (it->name == name) return std::string(python_strip(it->text));
  }
  return std::nullopt;
}

const std::vector<std::string>& default_section_priority() {
  static const std::vector<std::string> priority = {"impression", "findings", "last_paragraph",
                                                    "comparison"};
  return priority;
}

std::optional<ChosenSection> choose_section(const std::vector<ReportSection>& sections,
                                            const std::vector<std::string>& priority) {
  for (const auto& name : priority) {
    if (auto text = section_text(sections, name)) return ChosenSection{name, std::move(*text)};
  }
  return std::nullopt;
}

}  // namespace rrg::text
