// Reading a GREEN judge's answer exactly as GREEN's own code does.
//
// Reproduced (Stanford-AIMI/GREEN green_score/green.py and utils.py at d72c195; the functions
// named here are theirs):
//  - clean_responses: the text after the last "<|assistant|>"; then the text after the last
//    "[Explanation]:" (or, when the answer holds "[Explanation]:\n    <Explanation>\n", between
//    the first and second "[Explanation]:"); "</s>" and "<unk>" removed.
//  - parse_error_counts: a section is the text after the first "[<category>]:" and any
//    whitespace, up to the first blank line (a newline, whitespace, a newline: `\n\s*\n`) or the
//    end. A missing section counts 0. A section starting with "No" ("No errors", "None", "Not
//    applicable", ...) counts 0.
//      Matched Findings: the number that starts the section, when a '.' follows it ("2. A; B");
//      anything else ("two. ...", "Matched: 2.", "2 findings") counts 0.
//      Clinically (In)significant Errors: each line's first "(a) " ... "(f) " starts an item
//      running to the end of the line; the items are sorted as strings; for each letter, every
//      item starting with it whose text holds ": <number>." sets the letter's count (the first
//      such number of the item; the last item in sorted order wins). Numbers written as words
//      count 0. When no line has a letter item, items "(1) " ... "(6) " are read the same way.
//      Numbers are Python's \d: any Unicode decimal digits ("٣" is 3).
//  - compute_green: 0 when matched findings are 0 (also when there are no errors at all), else
//    matched / (matched + sum of the six clinically significant counts).
// GREEN's parser never fails: any text, however malformed, gets a score, and so it does here.
// Errors exist only where rrg must refuse to guess: thinking that was cut off before any answer
// (parse_green_output), and a count beyond 10^15, where GREEN's arbitrary-precision integers and
// doubles would part ways.
//
// RadEval (jbdel/RadEval radeval/metrics/green_score/green.py at e0a3909) reads Matched Findings
// with re.MULTILINE: the first line of the section that starts with "<number>." counts. That is
// GreenDialect::kRadEval; everything else is identical.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rrg::metrics::green {

// Version of this parser's reading rules; part of the signature ("parser:green-1").
inline constexpr const char* kGreenParserVersion = "1";

inline constexpr std::size_t kGreenSubCategoryCount = 6;

// Whose parser to reproduce: GREEN's (default) or RadEval's copy of it.
enum class GreenDialect { kGreen, kRadEval };

// "green", "radeval".
std::string_view green_dialect_name(GreenDialect dialect);

// Parses a dialect name; throws rrg::InputError naming the valid ones.
GreenDialect parse_green_dialect(std::string_view name);

// "<dialect>-<kGreenParserVersion>", e.g. "green-1".
std::string green_parser_id(GreenDialect dialect);

// One of GREEN's six error sub-categories.
struct GreenSubCategory {
  char letter;       // 'a' ... 'f'
  const char* text;  // GREEN's wording, e.g. "False report of a finding in the candidate"
  const char* key;   // rrg's metric key, e.g. "GREEN_a_false_finding"
};

// (a) ... (f) in GREEN's order.
const std::array<GreenSubCategory, kGreenSubCategoryCount>& green_sub_categories();

struct GreenCounts {
  std::array<std::int64_t, kGreenSubCategoryCount> significant{};    // (a)..(f), significant
  std::array<std::int64_t, kGreenSubCategoryCount> insignificant{};  // (a)..(f), insignificant
  std::int64_t matched = 0;                                          // matched findings
  // Whether each section header occurs (a missing section counts 0, as in GREEN).
  bool has_significant = false;
  bool has_insignificant = false;
  bool has_matched = false;

  std::int64_t significant_total() const;
  std::int64_t insignificant_total() const;
};

struct GreenParse {
  GreenCounts counts;
  std::optional<double> score;  // GREEN, set exactly when error is empty
  std::string error;            // why the answer has no score
};

// clean_responses applied to a served completion (the model's answer only; GREEN applies it to
// prompt + answer, which comes to the same since the prompt ends in "<|assistant|>").
std::string clean_green_response(std::string_view completion);

// compute_green's value for parsed counts.
double green_score(const GreenCounts& counts);

// clean_responses, parse_error_counts for the three sections, compute_green. `answer` is the
// model's answer with any thinking already removed (the LLM client does that).
GreenParse parse_green_answer(std::string_view answer, GreenDialect dialect = GreenDialect::kGreen);

// The same for a raw model output that may hold <think> blocks: they are removed first
// (rrg::llm::split_reasoning); thinking never closed (the model ran out of tokens before
// answering) is an error.
GreenParse parse_green_output(std::string_view output, GreenDialect dialect = GreenDialect::kGreen);

}  // namespace rrg::metrics::green
