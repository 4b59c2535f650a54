// JSON and CheXbert-CSV conversions of label rows (see label_io.h). The accepted spellings mirror
// what the tools around rrg write: score_labels.py accepts 1/0/-1, null, numeric strings and
// NaN-like strings; pandas writes CheXbert's labels as floats with NaN as an empty cell.
#include "rrg/chexpert/label_io.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "rrg/core/errors.h"
#include "rrg/text/suggest.h"

namespace rrg::chexpert {
namespace {

constexpr const char* kExpected =
    " (expected 1 positive, 0 negative, -1 uncertain, or blank: null / empty)";

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<Label> label_from_number(double value) {
  if (value == 1.0) return Label::kPositive;
  if (value == 0.0) return Label::kNegative;  // also -0.0
  if (value == -1.0) return Label::kUncertain;
  return std::nullopt;
}

// A plain decimal number ("1", "-1.0", "1.", "+0", "1e0"); no hex, inf or nan, which strtod would
// also take.
std::optional<double> parse_decimal(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i, ++exponent_digits;
    }
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  const std::string copy(text);
  return std::strtod(copy.c_str(), nullptr);
}

// Label spelled as text (JSON string or CSV cell), std::nullopt when it is not a label.
std::optional<Label> label_from_text(std::string_view raw) {
  const std::string_view text = trim(raw);
  const std::string folded = lower(text);
  if (folded.empty() || folded == "nan" || folded == "null" || folded == "none") {
    return Label::kBlank;
  }
  if (const auto number = parse_decimal(text)) return label_from_number(*number);
  return std::nullopt;
}

// JSON-style quoting for messages; invalid UTF-8 is replaced instead of throwing.
std::string json_quoted(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

std::string unknown_observation_message(const std::string& where, const std::string& key) {
  const std::vector<std::string> names(kObservationNames.begin(), kObservationNames.end());
  std::string message = where + ": unknown observation " + json_quoted(key) +
                        text::did_you_mean(key, names) +
                        "; label objects use the 14 CheXpert observation names:";
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    message += (i == 0 ? " " : ", ") + names[i];
  }
  return message;
}

template <typename Json>
Label label_from_json_impl(const Json& value, const std::string& where) {
  std::optional<Label> label;
  if (value.is_null()) {
    label = Label::kBlank;
  } else if (value.is_number_integer()) {
    // Compare as signed: 1, 0 and -1 are the only valid integers.
    if (value.is_number_unsigned()) {
      const auto v = value.template get<std::uint64_t>();
      if (v <= 1) label = v == 1 ? Label::kPositive : Label::kNegative;
    } else {
      label = label_from_number(static_cast<double>(value.template get<std::int64_t>()));
    }
  } else if (value.is_number_float()) {
    label = label_from_number(value.template get<double>());
  } else if (value.is_string()) {
    label = label_from_text(value.template get_ref<const std::string&>());
  }
  if (!label) {
    const std::string shown = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    throw InputError(where + ": label value " + shown + " is not a label" + kExpected);
  }
  return *label;
}

template <typename Json>
LabelRow label_row_from_json_impl(const Json& object, const std::string& where) {
  if (!object.is_object()) {
    throw InputError(where + ": expected an object mapping observation names to labels, got " +
                     std::string(object.type_name()));
  }
  LabelRow row = blank_row();
  for (auto it = object.begin(); it != object.end(); ++it) {
    const auto index = observation_index(it.key());
    if (!index) throw InputError(unknown_observation_message(where, it.key()));
    row[*index] = label_from_json_impl(it.value(), where + ": " + json_quoted(it.key()));
  }
  return row;
}

}  // namespace

nlohmann::ordered_json label_to_json(Label label) {
  switch (label) {
    case Label::kPositive:
      return 1;
    case Label::kNegative:
      return 0;
    case Label::kUncertain:
      return -1;
    case Label::kBlank:
      break;
  }
  return nullptr;
}

nlohmann::ordered_json label_row_to_json(const LabelRow& row) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < kNumObservations; ++i) {
    out[std::string(kObservationNames[i])] = label_to_json(row[i]);
  }
  return out;
}

Label label_from_json(const nlohmann::json& value, const std::string& where) {
  return label_from_json_impl(value, where);
}

Label label_from_json(const nlohmann::ordered_json& value, const std::string& where) {
  return label_from_json_impl(value, where);
}

LabelRow label_row_from_json(const nlohmann::json& object, const std::string& where) {
  return label_row_from_json_impl(object, where);
}

LabelRow label_row_from_json(const nlohmann::ordered_json& object, const std::string& where) {
  return label_row_from_json_impl(object, where);
}

std::vector<std::string> chexbert_csv_header() {
  std::vector<std::string> header{std::string(kReportImpressionColumn)};
  for (const auto name : kObservationNames) header.emplace_back(name);
  return header;
}

std::string_view label_csv_cell(Label label) {
  switch (label) {
    case Label::kPositive:
      return "1.0";
    case Label::kNegative:
      return "0.0";
    case Label::kUncertain:
      return "-1.0";
    case Label::kBlank:
      break;
  }
  return "";
}

Label label_from_csv_cell(std::string_view cell, const std::string& where) {
  if (const auto label = label_from_text(cell)) return *label;
  throw InputError(where + ": label cell " + json_quoted(cell) + " is not a label" + kExpected);
}

std::string observation_slug(std::size_t index) {
  std::string slug = lower(kObservationNames.at(index));
  std::replace(slug.begin(), slug.end(), ' ', '_');
  return slug;
}

}  // namespace rrg::chexpert
