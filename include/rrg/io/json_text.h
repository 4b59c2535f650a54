// JSON text written without a DOM, byte for byte as nlohmann::json::dump() writes the same value.
// rrg's JSON outputs were defined by nlohmann's serializer; writers that stream millions of rows
// (annotate's JSONL, evaluate's per_sample) use these pieces instead of one json object per row
// and must not change a byte.
#pragma once

#include <string>
#include <string_view>

namespace rrg::io {

// Appends `s` as a JSON string literal exactly as nlohmann::json(s).dump() does (default
// arguments: ensure_ascii false, strict UTF-8): `"` and `\` escaped, \b \t \n \f \r, every other
// byte below 0x20 as \u00xx (lower-case hex), DEL and all non-ASCII UTF-8 copied as they are.
// Invalid UTF-8 throws the same nlohmann::json::type_error (316) dump() throws.
void append_json_string(std::string_view s, std::string& out);

// append_json_string() into a new string.
std::string json_string(std::string_view s);

}  // namespace rrg::io
