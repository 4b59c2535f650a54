// The annotation pipeline (see annotate.h).
#include "rrg/pipelines/annotate.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "rrg/chexpert/label_io.h"
#include "rrg/io/csv.h"
#include "rrg/labelers/label_texts.h"

namespace rrg::pipelines {

AnnotationResult annotate(const io::ReportFile& reports, labelers::Labeler& labeler) {
  AnnotationResult result;
  result.labeler_identity = labeler.identity();
  result.ids.reserve(reports.records.size());
  result.texts.reserve(reports.records.size());
  for (const auto& record : reports.records) {
    result.ids.push_back(record.id);
    result.texts.push_back(record.texts.front());
  }
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::string_view> views(result.texts.begin(), result.texts.end());
  labelers::DistinctLabels labelled = labelers::label_distinct(labeler, views);
  result.timings_seconds.emplace_back(
      "label:" + labeler.name(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  result.labels = std::move(labelled.results);
  result.n_distinct = labelled.n_distinct;
  for (const auto& label : result.labels) result.n_errors += label.error.empty() ? 0 : 1;
  return result;
}

std::string annotation_jsonl(const AnnotationResult& result) {
  std::string out;
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    nlohmann::ordered_json line;
    line["id"] = result.ids[i];
    line["labels"] = chexpert::label_row_to_json(result.labels[i].labels);
    if (!result.labels[i].error.empty()) line["error"] = result.labels[i].error;
    out += line.dump() + "\n";
  }
  return out;
}

std::string annotation_csv(const AnnotationResult& result, bool with_ids) {
  std::string out;
  std::vector<std::string> row = chexpert::chexbert_csv_header();
  if (with_ids) row.insert(row.begin(), "id");
  io::append_csv_row(row, out);
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    row.clear();
    if (with_ids) row.push_back(result.ids[i]);
    row.push_back(result.texts[i]);
    for (const auto label : result.labels[i].labels) {
      row.emplace_back(chexpert::label_csv_cell(label));
    }
    io::append_csv_row(row, out);
  }
  return out;
}

}  // namespace rrg::pipelines
