// Reference extraction from free-text reports (see sections.h).
#include "rrg/pipelines/sections.h"

#include <algorithm>
#include <filesystem>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"
#include "rrg/io/csv.h"
#include "rrg/io/report_file.h"
#include "rrg/text/python_str.h"
#include "rrg/text/suggest.h"
#include "rrg/text/utf8.h"

namespace rrg::pipelines {
namespace {

namespace fs = std::filesystem;

// Every name split_report_sections can produce for common headers, for checking --prefer.
const std::vector<std::string>& known_section_names() {
  static const std::vector<std::string> names = {
      "impression",  "findings",  "last_paragraph", "comparison",      "indication",   "history",
      "examination", "technique", "addendum",       "recommendations", "notification", "wet read",
      "comment",     "date",      "preamble",       "full report"};
  return names;
}

std::string id_from_file_name(const fs::path& file, bool keep_s_prefix) {
  std::string stem = file.stem().string();
  if (!keep_s_prefix && stem.size() > 1 && stem[0] == 's' &&
      stem.find_first_not_of("0123456789", 1) == std::string::npos) {
    stem.erase(0, 1);
  }
  return stem;
}

struct Report {
  std::string id;
  std::string text;
};

std::vector<Report> read_reports(const SectionsOptions& options) {
  std::vector<Report> reports;
  std::error_code ec;
  if (fs::is_directory(options.input, ec)) {
    std::vector<fs::path> files;
    fs::recursive_directory_iterator it(options.input,
                                        fs::directory_options::follow_directory_symlink, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code file_ec;
      if (it->is_regular_file(file_ec) && it->path().extension() == ".txt") {
        files.push_back(it->path());
      }
    }
    if (ec) throw InputError(options.input + ": cannot list the folder (" + ec.message() + ")");
    std::sort(files.begin(), files.end());
    std::unordered_set<std::string> seen;
    for (const auto& file : files) {
      Report report{id_from_file_name(file, options.keep_s_prefix), io::read_text_file(file)};
      if (const auto bad = text::find_invalid_utf8(report.text); bad != std::string::npos) {
        throw InputError(file.string() + ": invalid UTF-8 at byte " + std::to_string(bad) +
                         "; re-save the report as UTF-8");
      }
      if (!seen.insert(report.id).second) {
        throw InputError(file.string() + ": report id \"" + report.id + "\" occurs twice under " +
                         options.input);
      }
      reports.push_back(std::move(report));
    }
    if (reports.empty()) throw InputError(options.input + ": no .txt report under this folder");
    return reports;
  }
  for (auto& record : io::read_report_file(options.input).records) {
    reports.push_back({std::move(record.id), std::move(record.texts.front())});
  }
  return reports;
}

std::string collapsed(const std::string& text) {
  std::string out;
  for (const auto token : text::python_split(text)) {
    if (!out.empty()) out += ' ';
    out += token;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& section_columns() {
  static const std::vector<std::string> columns = {"findings", "impression", "last_paragraph",
                                                   "comparison", "indication"};
  return columns;
}

SectionsResult extract_sections(const SectionsOptions& options) {
  if (options.priority.empty()) throw InputError("--prefer needs at least one section name");
  for (const auto& name : options.priority) {
    const auto& known = known_section_names();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw InputError("unknown section name '" + name + "'" + text::did_you_mean(name, known) +
                       " (known: impression, findings, last_paragraph, comparison, indication, "
                       "history, examination, technique, ...)");
    }
  }
  SectionsResult result;
  for (auto& report : read_reports(options)) {
    const auto sections = text::split_report_sections(report.text);
    SectionsRecord record;
    record.id = std::move(report.id);
    const auto tidy = [&](std::string text) {
      return options.collapse_whitespace ? collapsed(text) : text;
    };
    record.chosen = text::choose_section(sections, options.priority);
    if (record.chosen) {
      record.chosen->text = tidy(std::move(record.chosen->text));
      ++result.chosen_counts[record.chosen->name];
    } else {
      result.without_section.push_back(record.id);
    }
    for (const auto& column : section_columns()) {
      if (auto text = text::section_text(sections, column)) {
        record.sections[column] = tidy(std::move(*text));
      }
    }
    result.records.push_back(std::move(record));
  }
  return result;
}

SectionsFormat parse_sections_format(const std::string& name) {
  if (name == "jsonl") return SectionsFormat::kJsonl;
  if (name == "csv") return SectionsFormat::kCsv;
  if (name == "seed") return SectionsFormat::kSeed;
  throw InputError("unknown output format '" + name + "' (expected jsonl, csv or seed)");
}

std::string format_sections(const SectionsResult& result, SectionsFormat format, bool keep_empty) {
  std::string out;
  nlohmann::json seed_list = nlohmann::json::array();
  if (format == SectionsFormat::kCsv) {
    std::vector<std::string> header = {"id", "report", "section"};
    header.insert(header.end(), section_columns().begin(), section_columns().end());
    io::append_csv_row(header, out);
  }
  for (const auto& record : result.records) {
    if (!record.chosen && !keep_empty) continue;
    const std::string report = record.chosen ? record.chosen->text : "";
    const std::string section = record.chosen ? record.chosen->name : "";
    switch (format) {
      case SectionsFormat::kJsonl: {
        nlohmann::ordered_json line = {{"id", record.id}, {"report", report}};
        line["section"] = record.chosen ? nlohmann::ordered_json(section) : nullptr;
        for (const auto& column : section_columns()) {
          const auto it = record.sections.find(column);
          line[column] = it == record.sections.end() ? nlohmann::ordered_json()
                                                     : nlohmann::ordered_json(it->second);
        }
        out += line.dump() + "\n";
        break;
      }
      case SectionsFormat::kCsv: {
        std::vector<std::string> row = {record.id, report, section};
        for (const auto& column : section_columns()) {
          const auto it = record.sections.find(column);
          row.push_back(it == record.sections.end() ? "" : it->second);
        }
        io::append_csv_row(row, out);
        break;
      }
      case SectionsFormat::kSeed:
        seed_list.push_back({{"id", record.id}, {"report", report}});
        break;
    }
  }
  if (format == SectionsFormat::kSeed) out = nlohmann::json{{"test", seed_list}}.dump(2) + "\n";
  return out;
}

}  // namespace rrg::pipelines
