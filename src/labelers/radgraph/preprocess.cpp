// RadGraph's text preprocessing (radgraph/utils.py preprocess_reports and
// radgraph_xl_preprocess_report), reproduced on UTF-8 with Python's str semantics.
#include <string_view>

#include "rrg/labelers/radgraph/radgraph.h"
#include "rrg/text/python_str.h"
#include "rrg/text/utf8.h"

namespace rrg::labelers::radgraph {
namespace {

// Python str.replace: every non-overlapping occurrence, left to right.
std::string replace_all(const std::string& s, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t i = 0;
  while (true) {
    const std::size_t j = s.find(from, i);
    if (j == std::string::npos) break;
    out.append(s, i, j - i);
    out.append(to);
    i = j + from.size();
  }
  out.append(s, i, std::string::npos);
  return out;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  for (std::string_view w : text::python_split(text)) words.emplace_back(w);
  return words;
}

// Python's `\w` on str patterns: alphanumerics (str.isalnum) and '_'. Exact for ASCII; for other
// code points an approximation: letters and digits of every script count, the punctuation and
// symbol blocks (Latin-1's, General Punctuation, arrows to geometric shapes, CJK punctuation,
// fullwidth ASCII punctuation) do not. Reports are ASCII in practice (docs/radgraph.md).
bool is_word_char(char32_t c) {
  if (c < 0x80) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  if (c < 0xC0) {
    // Latin-1: ª ² ³ µ ¹ º ¼ ½ ¾ are alphanumeric, the rest punctuation, symbols, NBSP.
    return c == 0xAA || c == 0xB2 || c == 0xB3 || c == 0xB5 || c == 0xB9 || c == 0xBA ||
           (c >= 0xBC && c <= 0xBE);
  }
  if (c == 0xD7 || c == 0xF7) return false;  // × ÷
  if (c >= 0x2000 && c <= 0x2BFF) {          // punctuation, super/subscripts, symbols
    return (c >= 0x2070 && c <= 0x209F) || (c >= 0x2150 && c <= 0x218F) ||
           (c >= 0x2460 && c <= 0x24FF);  // super/subscripts, number forms, enclosed
  }
  if (c >= 0x3000 && c <= 0x303F) return c == 0x3005 || c == 0x3006 || c == 0x3007;
  if (c >= 0xFF01 && c <= 0xFF0F) return false;
  if (c >= 0xFF1A && c <= 0xFF20) return false;
  if (c >= 0xFF3B && c <= 0xFF40) return c == 0xFF3F;
  if (c >= 0xFF5B && c <= 0xFF65) return false;
  if (c == 0xFFFD) return false;
  return true;
}

// NLTK wordpunct_tokenize: re.findall(r"\w+|[^\w\s]+", text).
std::vector<std::string> wordpunct(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  int kind = 0;  // 0 none, 1 word, 2 punctuation
  std::string current;
  while (i < text.size()) {
    char32_t c = 0;
    const std::size_t n = text::decode_utf8_at(text, i, c);
    const std::size_t step = n == 0 ? 1 : n;
    const int k = text::python_space_length(text, i) > 0 ? 0 : (is_word_char(c) ? 1 : 2);
    if (k != kind && !current.empty()) {
      out.push_back(current);
      current.clear();
    }
    if (k != 0) current.append(text, i, step);
    kind = k;
    i += step;
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

std::string xl_clean(const std::string& report) {
  // The literal escapes RadGraph-XL's training reports carried, then real newlines.
  std::string t = replace_all(report, "\\n", "  ");
  t = replace_all(t, "\\f", "  ");
  t = replace_all(t, "\\u2122", "      ");
  t = replace_all(t, "\n", " ");
  t = replace_all(t, "\\\"", "``");
  // re.sub(r'\s+', ' ', t): every run of Unicode whitespace to one space.
  std::string squeezed;
  std::size_t i = 0;
  while (i < t.size()) {
    const std::size_t n = text::python_space_length(t, i);
    if (n > 0) {
      squeezed.push_back(' ');
      i += n;
      while (i < t.size()) {
        const std::size_t m = text::python_space_length(t, i);
        if (m == 0) break;
        i += m;
      }
    } else {
      squeezed.push_back(t[i]);
      ++i;
    }
  }
  std::string joined;
  for (const std::string& w : wordpunct(squeezed)) {
    if (!joined.empty()) joined.push_back(' ');
    joined += w;
  }
  joined = replace_all(joined, ").", ") .");
  joined = replace_all(joined, "%.", "% .");
  joined = replace_all(joined, ".'", ". '");
  joined = replace_all(joined, "%,", "% ,");
  joined = replace_all(joined, "%)", "% )");
  return joined;
}

}  // namespace

std::vector<std::string> preprocess_words(const std::string& text, Preprocessing preprocessing) {
  const std::string report = text.empty() ? std::string("None") : text;
  if (preprocessing == Preprocessing::kRadGraphXl) return split_words(xl_clean(report));
  // re.sub("(?<! )(?=[/,-,:,.,!?()])|(?<=[/,-,:,.,!?()])(?! )", " ", s).split(): the class is
  // / , : . ! ? ( ) (",-," is the one-character range ","); a space before and after each only
  // adds separators, which split() then collapses.
  std::string spaced;
  spaced.reserve(report.size() + 16);
  for (const char c : report) {
    switch (c) {
      case '/':
      case ',':
      case ':':
      case '.':
      case '!':
      case '?':
      case '(':
      case ')':
        spaced.push_back(' ');
        spaced.push_back(c);
        spaced.push_back(' ');
        break;
      default:
        spaced.push_back(c);
    }
  }
  return split_words(spaced);
}

}  // namespace rrg::labelers::radgraph
