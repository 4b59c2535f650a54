// UTF-8 decoding, encoding and validation.
//
// rrg keeps text as UTF-8 std::string everywhere; algorithms that must count or classify
// characters the way Python does (Python indexes by code point) decode to std::u32string first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rrg::text {

// Returns the byte offset of the first invalid UTF-8 sequence in `s`, or std::string_view::npos
// when `s` is valid. Overlong forms, surrogates (U+D800..U+DFFF) and values above U+10FFFF are
// invalid, as in Python's strict "utf-8" codec.
std::size_t find_invalid_utf8(std::string_view s);

// Decodes the one sequence starting at s[i] (i < s.size()) into `cp`. Returns its length in
// bytes, or 0 when it is not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, truncated).
std::size_t decode_utf8_at(std::string_view s, std::size_t i, char32_t& cp);

// Decodes valid UTF-8 (check with find_invalid_utf8 first; invalid bytes decode as U+FFFD).
std::u32string decode_utf8(std::string_view s);

// Appends the UTF-8 encoding of one code point to `out`.
void append_utf8(char32_t code_point, std::string& out);

std::string encode_utf8(std::u32string_view s);

// True when every byte is < 0x80 (the fast path of most text functions).
bool is_ascii(std::string_view s);

}  // namespace rrg::text
