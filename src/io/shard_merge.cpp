// Merging shard outputs (see shard_merge.h).
#include "rrg/io/shard_merge.h"

#include <unordered_map>
#include <unordered_set>

#include "json_input.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/report_file.h"

namespace rrg::io {
namespace {

using detail::json;

struct Kept {
  std::string line;  // the record as written
  bool failed = false;
  std::string output;  // "output" when it is a string (for the seed file)
  bool has_output = false;
  std::size_t count = 0;
};

}  // namespace

MergeReport merge_shard_outputs(const MergeOptions& options) {
  MergeReport report;
  std::unordered_map<std::string, Kept> records;
  std::vector<std::string> order;  // first appearance
  for (const auto& path : options.inputs) {
    const std::string content = read_text_file(path);
    ++report.files;
    const bool ends_with_newline = !content.empty() && content.back() == '\n';
    std::size_t line_count = 0;
    for (char c : content) line_count += c == '\n';
    detail::for_each_jsonl_line(content, [&](std::size_t line_no, std::string_view line) {
      json record;
      try {
        record = detail::parse_json_line(path, line_no, line);
      } catch (const InputError&) {
        // The unterminated last line of a file whose writer was killed mid-record.
        const bool last_unterminated = !ends_with_newline && line_no == line_count + 1;
        if (last_unterminated) {
          ++report.truncated_lines;
          return;
        }
        throw;
      }
      const std::string where = path + ":" + std::to_string(line_no);
      if (!record.is_object()) throw InputError(where + ": expected a JSON object with an \"id\"");
      ++report.records_read;
      const std::string id = detail::required_id(record, where);
      const auto error = record.find("error");
      const bool failed = error != record.end() && !error->is_null();
      auto [it, inserted] = records.try_emplace(id);
      Kept& kept = it->second;
      if (inserted) order.push_back(id);
      ++kept.count;
      // The last successful record wins; an error record only replaces other errors.
      if (inserted || !failed || kept.failed) {
        kept.line = std::string(line);
        kept.failed = failed;
        const auto output = record.find("output");
        kept.has_output = output != record.end() && output->is_string();
        kept.output = kept.has_output ? output->get<std::string>() : "";
      }
    });
  }

  std::vector<std::string> final_order;
  if (!options.expected_ids.empty()) {
    std::unordered_set<std::string> expected;
    for (const auto& id : options.expected_ids) {
      if (!expected.insert(id).second) continue;
      if (records.count(id) != 0) {
        final_order.push_back(id);
      } else {
        report.missing.push_back(id);
      }
    }
    for (const auto& id : order) {
      if (expected.count(id) == 0) {
        report.unexpected.push_back(id);
        final_order.push_back(id);
      }
    }
  } else {
    final_order = order;
  }
  for (const auto& id : final_order) {
    const Kept& kept = records.at(id);
    if (kept.count > 1) report.duplicated.push_back(id);
    if (kept.failed) report.failed.push_back(id);
  }

  if (options.require_complete && (!report.missing.empty() || !report.failed.empty())) {
    throw InputError("the merge is incomplete: " + std::to_string(report.missing.size()) +
                     " expected id(s) missing" +
                     (report.missing.empty() ? "" : " (" + sample_list(report.missing) + ")") +
                     " and " + std::to_string(report.failed.size()) +
                     " id(s) with only error records" +
                     (report.failed.empty() ? "" : " (" + sample_list(report.failed) + ")") +
                     "; nothing was written (drop --require-complete to write what there is)");
  }

  if (!options.output.empty()) {
    std::string out;
    for (const auto& id : final_order) {
      out += records.at(id).line;
      out += '\n';
    }
    write_file_atomically(options.output, out);
  }
  if (!options.seed_output.empty()) {
    json list = json::array();
    for (const auto& id : final_order) {
      const Kept& kept = records.at(id);
      if (kept.failed || !kept.has_output) continue;
      list.push_back({{"id", id}, {"output", kept.output}});
    }
    write_file_atomically(options.seed_output, json{{"test", list}}.dump(2) + "\n");
  }
  report.records_written = final_order.size();
  return report;
}

}  // namespace rrg::io
