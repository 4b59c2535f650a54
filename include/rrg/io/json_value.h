// A small, strict (RFC 8259) JSON reader for report files.
//
// Report files are read far more often than they are written, and nlohmann::json's DOM spends
// most of `rrg evaluate`'s input time on allocation and per-character lexing. This parser
// builds a light tree with one pass and memchr-based string scanning; on a syntax error the
// caller asks nlohmann for its (well-known) error message instead.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rrg::io {

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  bool integer = false;          // kNumber without fraction or exponent
  std::string text;              // kString: the decoded string; kNumber: the literal as written
  std::vector<JsonValue> items;  // kArray
  std::vector<std::pair<std::string, JsonValue>> members;  // kObject, in document order

  // The member called `key` (the last one when repeated, as nlohmann does), or nullptr.
  const JsonValue* find(std::string_view key) const;
  JsonValue* find(std::string_view key);
};

// Parses exactly one JSON value (surrounding whitespace allowed). Returns false on any syntax
// error, leaving `out` unspecified. `text` must be valid UTF-8.
bool parse_json(std::string_view text, JsonValue& out);

// parse_json() for a document read only for a few members (a JSONL record): when it is an
// object, only the members whose key is in `keys` are kept (in document order, repeats
// included); every other member is checked for syntax exactly as parse_json() would and
// dropped. Accepts and rejects exactly what parse_json() does; a non-object is parsed whole.
bool parse_json_members(std::string_view text, const std::vector<std::string_view>& keys,
                        JsonValue& out);

// "null", "a boolean", "a number", "a string", "an array" or "an object", for messages.
const char* json_type_name(const JsonValue& value);

}  // namespace rrg::io
