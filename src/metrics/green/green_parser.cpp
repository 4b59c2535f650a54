// GREEN's answer parser (see green_parser.h). The regular expressions of green.py are applied by
// hand, on UTF-8 bytes: every literal in them is ASCII, so byte positions match Python's code
// point positions; `\s` and `\d` are Python's Unicode classes (rrg/text/python_str.h); `.`
// without DOTALL stops at '\n' only; sorting strings compares code points, which for UTF-8 is
// byte order.
#include "rrg/metrics/green/green_parser.h"

#include <algorithm>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/llm/reasoning.h"
#include "rrg/text/python_str.h"

namespace rrg::metrics::green {
namespace {

constexpr std::string_view kSignificant = "Clinically Significant Errors";
constexpr std::string_view kInsignificant = "Clinically Insignificant Errors";
constexpr std::string_view kMatched = "Matched Findings";

// Counts above this are refused: beyond 2^53 (~9.007e15) doubles no longer hold every integer,
// and six of them plus the matched count must still add up exactly.
constexpr std::int64_t kMaxCount = 1000000000000000;  // 10^15

struct Section {
  bool found = false;
  std::string_view body;
};

// re.search(r"\[<category>\]:\s*(.*?)(?:\n\s*\n|\Z)", text, re.DOTALL).group(1)
Section find_section(std::string_view text, std::string_view category) {
  Section out;
  const std::string header = "[" + std::string(category) + "]:";
  const auto at = text.find(header);
  if (at == std::string_view::npos) return out;
  out.found = true;
  std::size_t begin = at + header.size();
  // \s* is greedy and the rest always matches (\Z at worst), so it takes every whitespace.
  while (begin < text.size()) {
    const std::size_t length = text::python_space_length(text, begin);
    if (length == 0) break;
    begin += length;
  }
  // The lazy group ends at the first '\n' whose following whitespace holds another '\n'.
  std::size_t end = text.size();
  std::size_t pos = begin;
  while (pos < text.size()) {
    const auto newline = text.find('\n', pos);
    if (newline == std::string_view::npos) break;
    std::size_t k = newline + 1;
    bool blank_line = false;
    while (k < text.size()) {
      if (text[k] == '\n') {
        blank_line = true;
        break;
      }
      const std::size_t length = text::python_space_length(text, k);
      if (length == 0) break;
      k += length;
    }
    if (blank_line) {
      end = newline;
      break;
    }
    // No '\n' in the whitespace after this one: the next candidate is past it.
    pos = std::max(k, newline + 1);
  }
  out.body = text.substr(begin, end - begin);
  return out;
}

struct Number {
  bool found = false;
  bool too_large = false;
  std::int64_t value = 0;
};

// A run of decimal digits at `pos` that a '.' follows: `\b\d+\b(?=\.)` anchored at pos (the
// run is maximal, since \b cannot fall between two digits).
Number number_before_dot(std::string_view text, std::size_t pos) {
  Number out;
  std::size_t i = pos;
  std::int64_t value = 0;
  bool too_large = false;
  int digit = 0;
  while (const std::size_t length = text::python_decimal_length(text, i, digit)) {
    if (value > (kMaxCount - digit) / 10) {
      too_large = true;
    } else {
      value = value * 10 + digit;
    }
    i += length;
  }
  if (i == pos || i >= text.size() || text[i] != '.') return out;
  out.found = true;
  out.too_large = too_large;
  out.value = value;
  return out;
}

// re.findall(r"(?<=: )\b\d+\b(?=\.)", item)[0], if any.
Number item_count(std::string_view item) {
  for (auto colon = item.find(": "); colon != std::string_view::npos;
       colon = item.find(": ", colon + 1)) {
    Number number = number_before_dot(item, colon + 2);
    if (number.found) return number;
  }
  return {};
}

// re.findall(r"\(<first>-<last>\) .*", body): per line, from its first "(x) " to its end.
std::vector<std::string_view> find_items(std::string_view body, char first, char last) {
  std::vector<std::string_view> items;
  std::size_t line_begin = 0;
  while (line_begin <= body.size()) {
    auto line_end = body.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = body.size();
    const std::string_view line = body.substr(line_begin, line_end - line_begin);
    for (auto open = line.find('('); open != std::string_view::npos;
         open = line.find('(', open + 1)) {
      if (open + 3 < line.size() && line[open + 1] >= first && line[open + 1] <= last &&
          line[open + 2] == ')' && line[open + 3] == ' ') {
        items.push_back(line.substr(open));
        break;
      }
    }
    line_begin = line_end + 1;
  }
  return items;
}

struct ErrorCounts {
  std::array<std::int64_t, kGreenSubCategoryCount> counts{};
  std::array<bool, kGreenSubCategoryCount> too_large_at{};  // of the count that won

  bool too_large() const {
    return std::find(too_large_at.begin(), too_large_at.end(), true) != too_large_at.end();
  }
};

// parse_error_counts for the two error sections.
ErrorCounts parse_errors(const Section& section) {
  ErrorCounts out;
  if (!section.found || section.body.substr(0, 2) == "No") return out;
  char first = 'a';
  std::vector<std::string_view> items = find_items(section.body, 'a', 'f');
  if (items.empty()) {
    first = '1';
    items = find_items(section.body, '1', '6');
  }
  std::sort(items.begin(), items.end());
  for (std::size_t k = 0; k < kGreenSubCategoryCount; ++k) {
    const char prefix[] = {'(', static_cast<char>(first + k), ')', ' '};
    const std::string_view wanted(prefix, sizeof prefix);
    for (const std::string_view item : items) {
      if (item.substr(0, wanted.size()) != wanted) continue;
      const Number number = item_count(item);
      if (!number.found) continue;
      out.counts[k] = number.value;
      out.too_large_at[k] = number.too_large;
    }
  }
  return out;
}

// parse_error_counts for Matched Findings.
Number parse_matched(const Section& section, GreenDialect dialect) {
  if (!section.found || section.body.substr(0, 2) == "No") return {};
  const std::string_view body = section.body;
  if (dialect == GreenDialect::kGreen) return number_before_dot(body, 0);
  // re.MULTILINE: the first line start (the body's or after a '\n') with a number.
  for (std::size_t line = 0; line <= body.size();) {
    const Number number = number_before_dot(body, line);
    if (number.found) return number;
    const auto newline = body.find('\n', line);
    if (newline == std::string_view::npos) break;
    line = newline + 1;
  }
  return {};
}

void erase_all(std::string& text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, pos)) {
    out.append(text, pos, at - pos);
    pos = at + what.size();
  }
  out.append(text, pos, std::string::npos);
  text = std::move(out);
}

}  // namespace

std::string_view green_dialect_name(GreenDialect dialect) {
  return dialect == GreenDialect::kRadEval ? "radeval" : "green";
}

GreenDialect parse_green_dialect(std::string_view name) {
  for (auto dialect : {GreenDialect::kGreen, GreenDialect::kRadEval}) {
    if (green_dialect_name(dialect) == name) return dialect;
  }
  throw InputError("unknown GREEN parser '" + std::string(name) +
                   "' (expected green for Stanford-AIMI/GREEN's or radeval for RadEval's)");
}

std::string green_parser_id(GreenDialect dialect) {
  return std::string(green_dialect_name(dialect)) + "-" + kGreenParserVersion;
}

const std::array<GreenSubCategory, kGreenSubCategoryCount>& green_sub_categories() {
  static const std::array<GreenSubCategory, kGreenSubCategoryCount> kTable = {{
      {'a', "False report of a finding in the candidate", "GREEN_a_false_finding"},
      {'b', "Missing a finding present in the reference", "GREEN_b_missing_finding"},
      {'c', "Misidentification of a finding's anatomic location/position",
       "GREEN_c_wrong_location"},
      {'d', "Misassessment of the severity of a finding", "GREEN_d_wrong_severity"},
      {'e', "Mentioning a comparison that isn't in the reference", "GREEN_e_false_comparison"},
      {'f', "Omitting a comparison detailing a change from a prior study",
       "GREEN_f_missing_comparison"},
  }};
  return kTable;
}

std::int64_t GreenCounts::significant_total() const {
  std::int64_t total = 0;
  for (const auto count : significant) total += count;
  return total;
}

std::int64_t GreenCounts::insignificant_total() const {
  std::int64_t total = 0;
  for (const auto count : insignificant) total += count;
  return total;
}

std::string clean_green_response(std::string_view completion) {
  constexpr std::string_view kAssistant = "<|assistant|>";
  constexpr std::string_view kExplanation = "[Explanation]:";
  // GREEN's `("[Explanation]:\n    <Explanation>\n" or ...) in response` tests only the first
  // string: `or` returns it, being non-empty.
  constexpr std::string_view kTemplateEcho = "[Explanation]:\n    <Explanation>\n";
  std::string_view text = completion;
  if (const auto at = text.rfind(kAssistant); at != std::string_view::npos) {
    text = text.substr(at + kAssistant.size());
  }
  if (text.find(kTemplateEcho) != std::string_view::npos) {
    // response.split("[Explanation]:")[1]
    const auto first = text.find(kExplanation) + kExplanation.size();
    const auto second = text.find(kExplanation, first);
    text = text.substr(first,
                       second == std::string_view::npos ? std::string_view::npos : second - first);
  } else if (const auto last = text.rfind(kExplanation); last != std::string_view::npos) {
    text = text.substr(last + kExplanation.size());  // response.split("[Explanation]:")[-1]
  }
  std::string out(text);
  erase_all(out, "</s>");
  erase_all(out, "<unk>");
  return out;
}

double green_score(const GreenCounts& counts) {
  if (counts.matched == 0) return 0.0;
  const auto matched = static_cast<double>(counts.matched);
  return matched / static_cast<double>(counts.matched + counts.significant_total());
}

GreenParse parse_green_answer(std::string_view answer, GreenDialect dialect) {
  GreenParse out;
  const std::string text = clean_green_response(answer);
  const Section significant = find_section(text, kSignificant);
  const Section insignificant = find_section(text, kInsignificant);
  const Section matched = find_section(text, kMatched);
  const ErrorCounts significant_counts = parse_errors(significant);
  const ErrorCounts insignificant_counts = parse_errors(insignificant);
  const Number matched_count = parse_matched(matched, dialect);
  GreenCounts& counts = out.counts;
  counts.significant = significant_counts.counts;
  counts.insignificant = insignificant_counts.counts;
  counts.matched = matched_count.value;
  counts.has_significant = significant.found;
  counts.has_insignificant = insignificant.found;
  counts.has_matched = matched.found;
  if (significant_counts.too_large() || insignificant_counts.too_large() ||
      matched_count.too_large) {
    out.error = "the judge's answer has a count above 10^15, which rrg does not score";
    return out;
  }
  out.score = green_score(counts);
  return out;
}

GreenParse parse_green_output(std::string_view output, GreenDialect dialect) {
  const llm::SplitAnswer split = llm::split_reasoning(output);
  if (split.truncated) {
    GreenParse out;
    out.error = "the judge's thinking was cut off before any answer (an unclosed <think>)";
    return out;
  }
  return parse_green_answer(split.content, dialect);
}

}  // namespace rrg::metrics::green
