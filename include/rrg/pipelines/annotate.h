// The annotation pipeline behind `rrg annotate`: reports in, 14 CheXpert labels per report out.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rrg/chexpert/agreement.h"
#include "rrg/chexpert/label_file.h"
#include "rrg/io/report_file.h"
#include "rrg/labelers/label_texts.h"
#include "rrg/labelers/labeler.h"

namespace rrg::pipelines {

struct AnnotationResult {
  // The rows in input order: each record's id and, as texts[0], the report it was labelled
  // from (the records of the report file, taken over whole: a million rows are not copied).
  std::vector<io::ReportRecord> records;
  // Row i's labels are labels.result(i): each distinct text's result is stored once.
  labelers::DistinctLabels labels;
  std::string labeler_identity;  // e.g. "rules@3f2a9c1d"
  std::size_t n_distinct = 0;    // distinct texts sent to the labeler
  std::size_t n_errors = 0;      // rows whose LabelResult carries an error
  std::vector<std::pair<std::string, double>> timings_seconds;

  std::size_t size() const { return records.size(); }
  const std::string& id(std::size_t row) const { return records[row].id; }
  const std::string& text(std::size_t row) const { return records[row].texts.front(); }
  const labelers::LabelResult& label(std::size_t row) const { return labels.result(row); }
  // Appends a row with its own label (results built row by row: a journal, tests).
  void add_row(std::string id, std::string text, labelers::LabelResult label);
};

// Labels the first text of every record (each distinct text once; `threads`, 0 = every core,
// find the distinct texts, the labeler has its own).
AnnotationResult annotate(const io::ReportFile& reports, labelers::Labeler& labeler,
                          std::size_t threads = 1);
// The same, taking the records over instead of copying them (`reports` is left without records).
AnnotationResult annotate(io::ReportFile&& reports, labelers::Labeler& labeler,
                          std::size_t threads = 1);

// Labels with a journaling labeler (Labeler::journaling(), the llm labeler), resumable
// (docs/llm.md, "Resume"): records are appended as answers arrive -- to `output` itself for JSONL,
// to OUTPUT.partial.jsonl for CSV --, a re-run skips finished ids and retries failed ones, and
// once every report is done the output is rewritten atomically in input order, in the layout
// annotate() results are written in. Throws std::runtime_error when the labeler's job was
// cancelled (the journal keeps every finished record; the message says how to resume).
// `on_message` receives the journal's note on what it resumed, before labelling starts.
struct ResumableAnnotation {
  AnnotationResult result;
  std::size_t from_earlier_run = 0;  // records the journal held already
};
ResumableAnnotation annotate_resumable(const io::ReportFile& reports, labelers::Labeler& labeler,
                                       const std::string& output, bool csv, bool csv_ids,
                                       const std::function<void(const std::string&)>& on_message);

// The agreement of `result`'s labels with a gold label file (`rrg annotate --agreement`): pairs
// by id when the gold file has ids (the ids both hold; the others are counted), else by
// position (the row counts must match). Throws rrg::InputError when nothing pairs.
struct AgreementRun {
  chexpert::LabelAgreement agreement;
  std::size_t gold_rows = 0;
  std::size_t gold_only = 0;       // gold ids not among the labelled reports
  std::size_t labelled_only = 0;   // labelled ids not in the gold file
  std::size_t failed_skipped = 0;  // paired reports the labeler could not label (left out)
  bool by_position = false;
};
AgreementRun agreement_with_gold(const AnnotationResult& result, const chexpert::LabelFile& gold);

// One {"id", "labels": {observation: 1|0|-1|null}} object per line ("error" added when the
// labeler could not label the report; its labels are then all null).
std::string annotation_jsonl(const AnnotationResult& result);
// The same bytes handed to `sink` in blocks of about `block_bytes` (the whole output is never
// held in memory at once).
void write_annotation_jsonl(const AnnotationResult& result,
                            const std::function<void(std::string_view)>& sink,
                            std::size_t block_bytes = std::size_t{1} << 20);

// CheXbert's labeled_reports.csv layout: "Report Impression" + the 14 observation columns with
// 1.0 / 0.0 / -1.0 / empty; `with_ids` prepends an "id" column.
std::string annotation_csv(const AnnotationResult& result, bool with_ids);

}  // namespace rrg::pipelines
