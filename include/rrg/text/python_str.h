// Python 3 string semantics on UTF-8 text.
//
// (Also Python's decimal digits, for parsers that reproduce `re` patterns with `\d`.)
// The reference implementations rrg reproduces (NLTK, rouge-score, pycocoevalcap) are Python
// programs, and their numbers depend on Python's definitions: `str.split()` splits on Unicode
// whitespace (NBSP, U+3000, U+2028, U+001C..U+001F, ...), `str.lower()` applies full Unicode
// lower-casing including the special cases (U+0130 'İ' -> "i̇", final sigma, U+212A Kelvin -> 'k').
// These functions reproduce Python 3.11 (Unicode 14.0) exactly; the tables are generated from
// Python's unicodedata by scripts/gen_unicode_tables.py.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::text {

// Python str.isspace() of a single code point.
bool python_isspace(char32_t code_point);

// Byte length of the whitespace code point (Python str.isspace(), which is also what `\s`
// matches in Python's `re` for str patterns) starting at utf8[pos], or 0 when there is none.
std::size_t python_space_length(std::string_view utf8, std::size_t pos);

// The value 0..9 of a Unicode decimal digit (Python's str.isdecimal(): what `\d` matches in
// Python's `re` for str patterns, and what int() accepts as a digit), or -1 for anything else.
int python_decimal_value(char32_t code_point);

// Whether `\w` of Python's `re` (str patterns) matches the code point: str.isalnum() or '_'.
bool python_is_word_char(char32_t code_point);

// Byte length of the decimal digit code point starting at utf8[pos] (0 when there is none, or
// pos is at the end), its value stored in `value`.
std::size_t python_decimal_length(std::string_view utf8, std::size_t pos, int& value);

// Python str.lower() of valid UTF-8 text.
std::string python_lower(std::string_view utf8);

// Python str.split() without arguments: runs of Unicode whitespace separate tokens, leading and
// trailing whitespace yield no empty tokens. The views point into `utf8`.
std::vector<std::string_view> python_split(std::string_view utf8);

// The same, into a caller-owned vector (cleared first) so hot loops reuse its capacity.
void python_split(std::string_view utf8, std::vector<std::string_view>& tokens);

// Python str.strip() without arguments (Unicode whitespace at both ends).
std::string_view python_strip(std::string_view utf8);

// The Unicode version of the generated tables ("14.0.0" for Python 3.11).
const char* python_unicode_version();

}  // namespace rrg::text
