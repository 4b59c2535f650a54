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
    const int k =
        text::python_space_length(text, i) > 0 ? 0 : (text::python_is_word_char(c) ? 1 : 2);
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
