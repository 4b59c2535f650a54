// rules-dev: labels a JSONL file with the `rules` labeler, for developing the phrase lists.
//
//   rules-dev IN.jsonl OUT.jsonl [--rules-dir data/rules] [--field report] [--explain]
//
// IN holds one {"id", "<field>"} object per line; OUT gets {"id", "labels": {observation:
// 1|0|-1|null}} per line (the layout score_labels.py reads). --explain adds "mentions": every
// mention found, the rule that matched it, its label and the deciding cue. --rules-dir loads
// edited lists without rebuilding. "-" reads stdin / writes stdout.
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "rrg/chexpert/label_io.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/labelers/rules/rules_labeler.h"

namespace {

int run(const std::string& in_path, const std::string& out_path, const std::string& rules_dir,
        const std::string& field, bool explain) {
  // The concrete labeler: this tool explains matches, which only the rules labeler can.
  const rrg::labelers::RulesLabeler rules(rules_dir.empty() ? rrg::labelers::embedded_rule_set()
                                                            : rrg::labelers::load_rule_dir(rules_dir));

  std::ifstream file;
  if (in_path != "-") {
    file.open(in_path, std::ios::binary);
    if (!file) throw rrg::InputError(in_path + ": cannot open input file");
  }
  std::istream& in = in_path == "-" ? std::cin : file;
  std::string output;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw rrg::InputError(
          rrg::location_message(in_path, line_number, 0, std::string("invalid JSON: ") + e.what()));
    }
    if (!record.is_object() || !record.contains(field) || !record[field].is_string()) {
      throw rrg::InputError(rrg::location_message(
          in_path, line_number, 0, "expected an object with a string field \"" + field + "\""));
    }
    const std::string text = record[field].get<std::string>();
    const rrg::chexpert::LabelRow row = rules.label_one(text);
    nlohmann::ordered_json out;
    out["id"] = record.contains("id") ? record["id"] : nlohmann::json(line_number);
    out["labels"] = rrg::chexpert::label_row_to_json(row);
    if (explain) {
      out["report"] = text;
      nlohmann::ordered_json mentions = nlohmann::ordered_json::array();
      for (const auto& m : rules.explain(text)) {
        mentions.push_back({{"observation", m.observation},
                            {"text", m.text},
                            {"label", rrg::chexpert::label_to_json(m.label)},
                            {"cue", m.cue},
                            {"rule", m.rule},
                            {"sentence", m.sentence}});
      }
      out["mentions"] = mentions;
    }
    output += out.dump();
    output += '\n';
  }
  if (out_path == "-") {
    std::cout << output;
  } else {
    rrg::io::write_file_atomically(out_path, output);
  }
  std::cerr << "rules-dev: labeled " << line_number << " lines with " << rules.identity()
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rules-dev: label a JSONL file with the rules labeler"};
  std::string in_path, out_path, rules_dir, field = "report";
  bool explain = false;
  app.add_option("input", in_path, "JSONL with one {\"id\", \"report\"} per line (- = stdin)")
      ->required();
  app.add_option("output", out_path, "JSONL labels to write (- = stdout)")->required();
  app.add_option("--rules-dir", rules_dir, "directory with edited lists (default: built in)");
  app.add_option("--field", field, "the report text's field name")->capture_default_str();
  app.add_flag("--explain", explain, "add every mention and its deciding cue to the output");
  try {
    app.parse(argc, argv);
    return run(in_path, out_path, rules_dir, field, explain);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const rrg::InputError& e) {
    std::cerr << "rules-dev: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rules-dev: error: " << e.what() << "\n";
    return 1;
  }
}
