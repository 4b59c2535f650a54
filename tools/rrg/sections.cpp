// `rrg sections` (see sections.h): flags -> pipelines::extract_sections -> one output file.
#include "sections.h"

#include <iostream>
#include <memory>

#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/pipelines/sections.h"

namespace rrg::cli {
namespace {

struct SectionsFlags {
  std::string input;
  std::string output;
  std::string format;
  std::vector<std::string> prefer = text::default_section_priority();
  bool collapse_whitespace = false;
  bool keep_s_prefix = false;
  bool keep_empty = false;
};

bool ends_with(const std::string& s, const char* suffix) {
  const std::string tail(suffix);
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void run_sections(const SectionsFlags& flags) {
  // The format: --format, else the output's extension (.csv, .json = seed), else JSONL.
  std::string format = flags.format;
  if (format.empty()) {
    format = ends_with(flags.output, ".csv")    ? "csv"
             : ends_with(flags.output, ".json") ? "seed"
                                                : "jsonl";
  }
  const pipelines::SectionsFormat output_format = pipelines::parse_sections_format(format);
  pipelines::SectionsOptions options;
  options.input = flags.input;
  options.priority = flags.prefer;
  options.collapse_whitespace = flags.collapse_whitespace;
  options.keep_s_prefix = flags.keep_s_prefix;
  const pipelines::SectionsResult result = pipelines::extract_sections(options);
  const std::string text = pipelines::format_sections(result, output_format, flags.keep_empty);
  if (flags.output == "-") {
    std::cout << text;
  } else {
    io::write_file_atomically(flags.output, text);
  }

  std::string counts;
  for (const auto& name : flags.prefer) {
    const auto it = result.chosen_counts.find(name);
    if (it == result.chosen_counts.end()) continue;
    counts += (counts.empty() ? "" : ", ") + name + " " + std::to_string(it->second);
  }
  std::cerr << "rrg sections: " << result.records.size()
            << " report(s); chosen section: " << (counts.empty() ? "none" : counts) << "\n";
  if (!result.without_section.empty()) {
    std::string prefer;
    for (const auto& name : flags.prefer) prefer += (prefer.empty() ? "" : ",") + name;
    std::cerr << "rrg: warning: " << result.without_section.size()
              << " report(s) have none of the sections " << prefer << " and were "
              << (flags.keep_empty ? "written with an empty report" : "left out") << " ("
              << sample_list(result.without_section) << ")\n";
  }
}

}  // namespace

void setup_sections(CLI::App& app) {
  auto flags = std::make_shared<SectionsFlags>();
  CLI::App* cmd = app.add_subcommand(
      "sections", "Extract FINDINGS / IMPRESSION references from free-text MIMIC-CXR reports");
  cmd->description(
      "Extract FINDINGS / IMPRESSION sections from free-text reports into reference files.\n\n"
      "Follows the rules of the MIMIC-CXR section parser (MIT-LCP txt/section_parser.py): section "
      "headers, name\n"
      "normalisation, and the impression > findings > last_paragraph > comparison fallback.\n"
      "Each output record's \"report\" is the first section of --prefer the report has.");
  cmd->add_option("input", flags->input,
                  "Folder of .txt reports (files/pXX/pSUBJ/sSTUDY.txt) or a report file (JSONL, "
                  "CSV, ...)")
      ->type_name("PATH")
      ->required();
  cmd->add_option("-o,--output", flags->output, "Output file ('-' = standard output)")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--format", flags->format,
                  "jsonl, csv or seed ({\"test\": [{\"id\", \"report\"}]}); default from the "
                  "output's extension (.csv, .json), else jsonl")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"jsonl", "csv", "seed"}));
  cmd->add_option("--prefer", flags->prefer,
                  "Sections in order of preference for \"report\" (e.g. findings for findings-only "
                  "references)")
      ->type_name("LIST")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_flag("--collapse-whitespace", flags->collapse_whitespace,
                "Turn every run of whitespace (including MIMIC's line breaks) into one space");
  cmd->add_flag("--keep-s-prefix", flags->keep_s_prefix,
                "Keep the 's' of s50414267.txt in ids (default: 50414267, the CSVs' study_id)");
  cmd->add_flag("--keep-empty", flags->keep_empty,
                "Also write reports without any --prefer section (with an empty report)");
  cmd->footer(
      "\nExamples:\n"
      "  rrg sections mimic-cxr-reports/files -o refs.jsonl\n"
      "  rrg sections mimic-cxr-reports/files --prefer findings --collapse-whitespace -o "
      "findings.jsonl\n"
      "  rrg sections reports.jsonl -o refs.csv\n"
      "\nExit status: 0 success, 1 environment failure, 2 bad usage or input.");
  cmd->callback([flags] { run_sections(*flags); });
}

}  // namespace rrg::cli
