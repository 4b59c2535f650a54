// Python 3.11 str.isspace / lower / split / strip on UTF-8 (see python_str.h).
//
// The Unicode data lives in unicode_tables.inc, generated from Python's own unicodedata by
// scripts/gen_unicode_tables.py; this file only looks it up. Every function has an ASCII fast
// path because nearly all report text is ASCII. Bytes that are not valid UTF-8 are never
// whitespace and are copied through unchanged (callers validate input first; this just keeps
// the functions total).
#include "rrg/text/python_str.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "rrg/text/utf8.h"

namespace rrg::text {
namespace {

// Row types of the generated tables.
struct LowerRange {
  char32_t first;
  char32_t last;
  std::uint8_t stride;  // 1: every code point in [first, last]; 2: every other one
  std::int32_t delta;
};
struct LowerSpecial {
  char32_t code_point;
  std::uint8_t size;
  char32_t mapped[3];
};
struct CaseRange {
  char32_t first;
  char32_t last;
  std::uint8_t case_class;
};
struct WordRange {
  char32_t first;
  char32_t last;
};

#include "unicode_tables.inc"

constexpr char32_t kCapitalSigma = 0x03A3;
constexpr char32_t kSmallSigma = 0x03C3;
constexpr char32_t kFinalSigma = 0x03C2;
constexpr std::uint8_t kCaseIgnorable = 1;
constexpr std::uint8_t kCased = 2;

// Python's str.isspace() for ASCII: \t \n \v \f \r, the separators U+001C..U+001F, and space.
constexpr bool ascii_space(unsigned char c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
}

// Decodes the code point at s[i] into `cp` and returns its byte length. An invalid sequence is
// reported as one byte with cp = U+FFFD, which is neither whitespace nor cased.
std::size_t decode_at(std::string_view s, std::size_t i, char32_t& cp) {
  const std::size_t length = decode_utf8_at(s, i, cp);
  if (length != 0) return length;
  cp = 0xFFFD;
  return 1;
}

// Start of the code point that ends just before byte `end` (end > 0).
std::size_t previous_start(std::string_view s, std::size_t end) {
  std::size_t j = end - 1;
  const std::size_t limit = end >= 4 ? end - 4 : 0;
  while (j > limit && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
  char32_t cp;
  // Only accept the candidate when it decodes to exactly the bytes up to `end`; otherwise the
  // last byte is a stray continuation byte (decoded on its own, as decode_at would).
  return j + decode_at(s, j, cp) == end ? j : end - 1;
}

// Binary search for the row whose [first, last] contains cp.
template <typename Row, std::size_t N>
const Row* find_row(const Row (&table)[N], char32_t cp) {
  const Row* it =
      std::upper_bound(std::begin(table), std::end(table), cp,
                       [](char32_t value, const Row& row) { return value < row.first; });
  if (it == std::begin(table)) return nullptr;
  --it;
  return cp <= it->last ? it : nullptr;
}

std::uint8_t case_class(char32_t cp) {
  const CaseRange* row = find_row(kCaseRanges, cp);
  return row == nullptr ? 0 : row->case_class;
}

// CPython's handle_capital_sigma (Objects/unicodeobject.c): U+03A3 at s[pos, pos+len) becomes
// final sigma when, skipping case-ignorable code points, a cased code point precedes it and no
// cased code point follows it.
char32_t lower_capital_sigma(std::string_view s, std::size_t pos, std::size_t len) {
  bool preceded_by_cased = false;
  for (std::size_t j = pos; j > 0;) {
    j = previous_start(s, j);
    char32_t cp;
    decode_at(s, j, cp);
    const std::uint8_t cls = case_class(cp);
    if (cls == kCaseIgnorable) continue;
    preceded_by_cased = cls == kCased;
    break;
  }
  if (!preceded_by_cased) return kSmallSigma;
  for (std::size_t j = pos + len; j < s.size();) {
    char32_t cp;
    j += decode_at(s, j, cp);
    const std::uint8_t cls = case_class(cp);
    if (cls == kCaseIgnorable) continue;
    return cls == kCased ? kSmallSigma : kFinalSigma;
  }
  return kFinalSigma;
}

// Appends chr(cp).lower() (cp != U+03A3) to out.
void append_lower(char32_t cp, std::string& out) {
  if (const LowerRange* row = find_row(kLowerRanges, cp);
      row != nullptr && (cp - row->first) % row->stride == 0) {
    append_utf8(static_cast<char32_t>(static_cast<std::int32_t>(cp) + row->delta), out);
    return;
  }
  for (const LowerSpecial& special : kLowerSpecials) {
    if (special.code_point == cp) {
      for (std::uint8_t k = 0; k < special.size; ++k) append_utf8(special.mapped[k], out);
      return;
    }
  }
  append_utf8(cp, out);
}

}  // namespace

bool python_isspace(char32_t code_point) {
  if (code_point < 0x80) return ascii_space(static_cast<unsigned char>(code_point));
  return std::binary_search(std::begin(kSpaces), std::end(kSpaces), code_point);
}

bool python_is_word_char(char32_t code_point) {
  if (code_point < 0x80) {
    const char c = static_cast<char>(code_point);
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  // The last run starting at or before the code point.
  const auto* next =
      std::upper_bound(std::begin(kWordRanges), std::end(kWordRanges), code_point,
                       [](char32_t cp, const WordRange& range) { return cp < range.first; });
  return next != std::begin(kWordRanges) && code_point <= (next - 1)->last;
}

int python_decimal_value(char32_t code_point) {
  if (code_point < 0x80) {
    return code_point >= '0' && code_point <= '9' ? static_cast<int>(code_point - '0') : -1;
  }
  // The last run starting at or before the code point.
  const auto* next =
      std::upper_bound(std::begin(kDecimalZeros), std::end(kDecimalZeros), code_point);
  if (next == std::begin(kDecimalZeros)) return -1;
  const char32_t offset = code_point - *(next - 1);
  return offset < 10 ? static_cast<int>(offset) : -1;
}

std::size_t python_decimal_length(std::string_view utf8, std::size_t pos, int& value) {
  if (pos >= utf8.size()) return 0;
  const auto b = static_cast<unsigned char>(utf8[pos]);
  if (b < 0x80) {
    if (b < '0' || b > '9') return 0;
    value = b - '0';
    return 1;
  }
  char32_t cp;
  const std::size_t len = decode_at(utf8, pos, cp);
  if (cp == 0xFFFD && len == 1) return 0;
  const int digit = python_decimal_value(cp);
  if (digit < 0) return 0;
  value = digit;
  return len;
}

std::string python_lower(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t len = decode_at(utf8, i, cp);
    if (cp == 0xFFFD && len == 1) {
      out.push_back(utf8[i]);  // invalid byte: keep it as it is
    } else if (cp == kCapitalSigma) {
      append_utf8(lower_capital_sigma(utf8, i, len), out);
    } else {
      append_lower(cp, out);
    }
    i += len;
  }
  return out;
}

namespace {

// Length of the whitespace code point at s[i], or 0 when s[i] does not start one.
std::size_t space_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return ascii_space(b) ? 1 : 0;
  // Every non-ASCII whitespace code point starts with 0xC2 (U+0085, U+00A0), 0xE1 (U+1680),
  // 0xE2 (U+2000..U+205F) or 0xE3 (U+3000); anything else is decoded only when it could match.
  if (b != 0xC2 && (b < 0xE1 || b > 0xE3)) return 0;
  char32_t cp;
  const std::size_t len = decode_at(s, i, cp);
  return python_isspace(cp) ? len : 0;
}

// Byte length of the (non-whitespace) code point at s[i].
inline std::size_t char_length(std::string_view s, std::size_t i) {
  if (static_cast<unsigned char>(s[i]) < 0x80) return 1;
  char32_t cp;
  return decode_at(s, i, cp);
}

}  // namespace

void python_split(std::string_view utf8, std::vector<std::string_view>& tokens) {
  tokens.clear();
  std::size_t i = 0;
  const std::size_t n = utf8.size();
  while (i < n) {
    std::size_t space = space_length(utf8, i);
    if (space != 0) {
      i += space;
      continue;
    }
    const std::size_t start = i;
    while (i < n && (space = space_length(utf8, i)) == 0) i += char_length(utf8, i);
    tokens.push_back(utf8.substr(start, i - start));
    i += space;
  }
}

std::vector<std::string_view> python_split(std::string_view utf8) {
  std::vector<std::string_view> tokens;
  python_split(utf8, tokens);
  return tokens;
}

std::string_view python_strip(std::string_view utf8) {
  std::size_t begin = 0;
  while (begin < utf8.size()) {
    const std::size_t space = space_length(utf8, begin);
    if (space == 0) break;
    begin += space;
  }
  std::size_t end = utf8.size();
  while (end > begin) {
    const std::size_t start = previous_start(utf8, end);
    if (space_length(utf8, start) != end - start) break;
    end = start;
  }
  return utf8.substr(begin, end - begin);
}

std::size_t python_space_length(std::string_view utf8, std::size_t pos) {
  return pos < utf8.size() ? space_length(utf8, pos) : 0;
}

const char* python_unicode_version() {
  return kUnicodeVersion;
}

}  // namespace rrg::text
