// Private to src/io: parsing JSON input files with error messages that name the file, the line
// and the column, and small helpers for reading typed fields. Used by the study sources in
// src/io/datasets.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"

namespace rrg::io::detail {

using nlohmann::json;

// nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, column 5:
// syntax error while parsing value - invalid literal; last read: 'x'"; keeps the reason only.
inline std::string parse_error_reason(const json::parse_error& e) {
  std::string what = e.what();
  if (auto pos = what.find(": syntax error"); pos != std::string::npos) what = what.substr(pos + 2);
  return what;
}

// Parses a whole JSON document; throws InputError "path:line:col: malformed JSON: ...".
inline json parse_json_document(const std::string& path, std::string_view content) {
  try {
    return json::parse(content.begin(), content.end());
  } catch (const json::parse_error& e) {
    const auto [line, col] = line_and_column(content, e.byte == 0 ? 0 : e.byte - 1);
    throw InputError(location_message(path, line, col, "malformed JSON: " + parse_error_reason(e)));
  }
}

// Parses one JSONL line; throws InputError "path:line:col: malformed JSON line: ...".
inline json parse_json_line(const std::string& path, std::size_t line_no, std::string_view line) {
  try {
    return json::parse(line.begin(), line.end());
  } catch (const json::parse_error& e) {
    throw InputError(location_message(path, line_no, e.byte == 0 ? 1 : e.byte,
                                      "malformed JSON line: " + parse_error_reason(e)));
  }
}

// Calls f(line_no, line) for every non-blank line ("\r\n" endings accepted).
template <typename F>
void for_each_jsonl_line(std::string_view content, F&& f) {
  std::size_t line_no = 0, pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    ++line_no;
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    f(line_no, line);
  }
}

// Short description of a JSON value's type for messages.
inline std::string type_name(const json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "an array";
  return "an object";
}

// The object's keys as "\"a\", \"b\"" ("" for none or a non-object), for messages.
inline std::string key_list(const json& value) {
  std::string out;
  if (!value.is_object()) return out;
  for (const auto& item : value.items()) out += (out.empty() ? "\"" : ", \"") + item.key() + "\"";
  return out;
}

// An "id" value: a string, or an integer written in decimal.
inline std::string id_from_json(const json& value, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.dump();
  throw InputError(where + ": \"id\" must be a string or an integer, got " + type_name(value));
}

// The "id" field of a record, which must be present.
inline std::string required_id(const json& object, const std::string& where) {
  const auto it = object.find("id");
  if (it == object.end()) throw InputError(where + ": field \"id\" is missing");
  return id_from_json(*it, where);
}

// The string field `key` of `object`, or "" when absent or null; InputError for other types.
inline std::string optional_string(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (!it->is_string()) {
    throw InputError(where + ": field \"" + key + "\" must be a string, got " + type_name(*it));
  }
  return it->get<std::string>();
}

}  // namespace rrg::io::detail
