// DOM-free JSON text (see json_text.h).
#include "rrg/io/json_text.h"

#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "rrg/text/utf8.h"

namespace rrg::io {
namespace {

// For each byte: 0 = copied as it is; otherwise the character after the backslash ('u' = \u00xx).
constexpr std::array<char, 256> escape_table() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\t'] = 't';
  table['\n'] = 'n';
  table['\f'] = 'f';
  table['\r'] = 'r';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}
constexpr std::array<char, 256> kEscape = escape_table();

}  // namespace

void append_json_string(std::string_view s, std::string& out) {
  // Printable ASCII without quotes or backslashes (signatures, metric names) is copied at once.
  bool plain = true;
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || kEscape[byte] != 0) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    out.append(s.data(), s.size());
    out += '"';
    return;
  }
  if (text::find_invalid_utf8(s) != std::string_view::npos) {
    out += nlohmann::json(std::string(s)).dump();  // throws type_error 316, as dump() would
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet appended
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char escape = kEscape[static_cast<unsigned char>(s[i])];
    if (escape == 0) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    out += '\\';
    out += escape;
    if (escape == 'u') {
      const auto byte = static_cast<unsigned char>(s[i]);
      out += "00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(s, out);
  return out;
}

}  // namespace rrg::io
