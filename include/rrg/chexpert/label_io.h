// Reading and writing CheXpert label rows in the two formats rrg exchanges with other tools.
//
// - JSON (rrg annotate's JSONL, shared/labels/*.jsonl, score_labels.py): an object mapping each
//   observation name to 1, 0, -1 or null (blank = not mentioned), e.g.
//   {"Enlarged Cardiomediastinum": null, "Cardiomegaly": 1, ..., "No Finding": null}.
// - CheXbert's labeled_reports.csv: pandas writes the float labels as "1.0", "0.0", "-1.0" and a
//   blank (NaN) as an empty cell, under the header "Report Impression" + the 14 observations.
//
// Writers always emit the canonical form; readers also accept the equivalent spellings other
// tools produce (1.0 for 1, "1", "nan", "" ...) and reject anything else with an rrg::InputError
// that names where the value came from. Stateless.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/chexpert/observations.h"

namespace rrg::chexpert {

// ---- JSON ----

// 1, 0, -1 or null.
nlohmann::ordered_json label_to_json(Label label);

// All 14 observations in CheXpert order, blank as null.
nlohmann::ordered_json label_row_to_json(const LabelRow& row);

// Parses one label value: null, the numbers 1, 0, -1 (1.0, 0.0, -1.0 too), or a string holding
// one of those or a blank spelling ("", "nan", "null", "none", any case, spaces ignored).
// Throws rrg::InputError "<where>: ..." for anything else (2, true, "yes", 0.5 ...).
// `where` locates the value for the message, e.g. `labels.jsonl:12: "labels"."Edema"`.
Label label_from_json(const nlohmann::json& value, const std::string& where);
Label label_from_json(const nlohmann::ordered_json& value, const std::string& where);

// Parses a label object. Observations missing from the object are blank (not mentioned), as in
// score_labels.py. A key that is not one of the 14 observation names (compared exactly) throws
// rrg::InputError naming the key and close observation names; a non-object throws too.
LabelRow label_row_from_json(const nlohmann::json& object, const std::string& where);
LabelRow label_row_from_json(const nlohmann::ordered_json& object, const std::string& where);

// ---- CheXbert CSV ----

// First column of CheXbert's labeled_reports.csv.
inline constexpr std::string_view kReportImpressionColumn = "Report Impression";

// "Report Impression" followed by the 14 observation names: CheXbert's labeled_reports.csv header.
std::vector<std::string> chexbert_csv_header();

// "1.0", "0.0", "-1.0" or "" (blank), as pandas writes CheXbert's float labels.
std::string_view label_csv_cell(Label label);

// Parses a CSV cell: "1.0"/"1"/"1.", "0.0"/"0"/"-0.0", "-1.0"/"-1", or blank ("", "nan", "NaN",
// "null", "none"); surrounding spaces are ignored. Throws rrg::InputError "<where>: ..." for
// anything else.
Label label_from_csv_cell(std::string_view cell, const std::string& where);

// ---- names ----

// Lower-case key form of an observation name for column and metric names:
// "Pleural Effusion" -> "pleural_effusion". `index` < kNumObservations.
std::string observation_slug(std::size_t index);

}  // namespace rrg::chexpert
