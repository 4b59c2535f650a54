// Reading label files (see label_file.h).
#include "rrg/chexpert/label_file.h"

#include <array>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "rrg/chexpert/label_io.h"
#include "rrg/core/errors.h"
#include "rrg/io/csv.h"
#include "rrg/io/report_file.h"

namespace rrg::chexpert {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool looks_like_jsonl(const std::string& content) {
  for (const char c : content) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

void add_id(LabelFile& file, std::string id, std::unordered_set<std::string>& seen,
            std::size_t line) {
  if (!seen.insert(id).second) {
    throw InputError(location_message(file.path, line, 0, "id \"" + id + "\" occurs twice"));
  }
  file.ids.push_back(std::move(id));
}

void read_jsonl(const std::string& content, LabelFile& file) {
  file.has_ids = true;
  std::unordered_set<std::string> seen;
  std::size_t line_number = 0, begin = 0;
  while (begin < content.size()) {
    ++line_number;
    std::size_t end = content.find('\n', begin);
    if (end == std::string::npos) end = content.size();
    const std::string line = content.substr(begin, end - begin);
    begin = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded() || !record.is_object()) {
      throw InputError(location_message(file.path, line_number, 0, "not a JSON object"));
    }
    const auto id = record.find("id");
    if (id == record.end() || id->is_null()) {
      throw InputError(location_message(file.path, line_number, 0, "record has no \"id\""));
    }
    const std::string where = file.path + ":" + std::to_string(line_number);
    const auto labels = record.find("labels");
    if (labels != record.end()) {
      file.rows.push_back(label_row_from_json(*labels, where + ": \"labels\""));
    } else {
      nlohmann::json flat = nlohmann::json::object();
      for (const auto name : kObservationNames) {
        if (record.contains(std::string(name))) flat[std::string(name)] = record[std::string(name)];
      }
      file.rows.push_back(label_row_from_json(flat, where));
    }
    add_id(file, id->is_string() ? id->get<std::string>() : id->dump(), seen, line_number);
  }
}

void read_csv(const std::string& content, LabelFile& file) {
  const std::vector<io::CsvRow> rows = io::parse_csv(content, file.path);
  if (rows.empty()) throw InputError(file.path + ": empty CSV file (expected a header row)");
  const auto& header = rows.front().fields;
  const auto column = [&](std::string_view name) -> long {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == name) return static_cast<long>(c);
    }
    return -1;
  };
  std::array<long, kNumObservations> columns{};
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    columns[k] = column(kObservationNames[k]);
    if (columns[k] < 0) {
      throw InputError(location_message(file.path, 1, 0,
                                        "no \"" + std::string(kObservationNames[k]) +
                                            "\" column (expected CheXbert's labeled_reports.csv "
                                            "header)"));
    }
  }
  const long id_column = column("id");
  const long text_column = column(kReportImpressionColumn);
  file.has_ids = id_column >= 0;
  std::unordered_set<std::string> seen;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const io::CsvRow& row = rows[r];
    const auto cell = [&](long c) -> std::string {
      return static_cast<std::size_t>(c) < row.fields.size() ? row.fields[c] : std::string();
    };
    LabelRow labels{};
    for (std::size_t k = 0; k < kNumObservations; ++k) {
      labels[k] = label_from_csv_cell(cell(columns[k]),
                                      file.path + ":" + std::to_string(row.line) + ": \"" +
                                          std::string(kObservationNames[k]) + "\"");
    }
    file.rows.push_back(labels);
    if (text_column >= 0) file.texts.push_back(cell(text_column));
    if (file.has_ids) add_id(file, cell(id_column), seen, row.line);
  }
}

}  // namespace

LabelFile read_label_file(const std::string& path) {
  LabelFile file;
  file.path = path;
  const std::string content = io::read_text_file(path);
  if (ends_with(path, ".csv") || !looks_like_jsonl(content)) {
    read_csv(content, file);
  } else {
    read_jsonl(content, file);
  }
  return file;
}

}  // namespace rrg::chexpert
