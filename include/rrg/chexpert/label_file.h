// Reading whole label files, in the formats `rrg annotate` writes and CheXbert's own output:
//   - JSONL: one {"id", "labels": {observation: 1|0|-1|null}} per line (observations missing from
//     "labels" are blank), or flat {"id", "Cardiomegaly": 1, ...} rows (score_labels.py's
//     alternative); other keys are ignored;
//   - CSV: CheXbert's labeled_reports.csv ("Report Impression" + the 14 observation columns,
//     1.0/0.0/-1.0/empty), optionally with an "id" column (rrg annotate --csv-ids).
// The format is taken from the extension (.csv) or else the first non-blank character ('{').
#pragma once

#include <string>
#include <vector>

#include "rrg/chexpert/observations.h"

namespace rrg::chexpert {

struct LabelFile {
  std::string path;
  bool has_ids = false;            // false for a CSV without an "id" column
  std::vector<std::string> ids;    // one per row when has_ids
  std::vector<std::string> texts;  // "Report Impression" of a CSV, else empty
  std::vector<LabelRow> rows;
};

// Throws rrg::InputError naming the file, the line and the problem (unknown observation key,
// a value that is not a label, a missing column, a duplicated id).
LabelFile read_label_file(const std::string& path);

}  // namespace rrg::chexpert
