// Tests of rrg/text/python_str.h against Python itself.
//
// The oracle is /usr/bin/python3 (Debian 12: Python 3.11, Unicode 14.0), run at test time: it
// reports isspace()/lower() of every code point, the Final_Sigma behaviour of every code point
// before and after U+03A3, split() of a string holding every code point, and lower/split/strip of
// hand-written strings. Hand-worked expectations for the special cases are checked too, so a
// failure says what Python does without running it.
#include "rrg/text/python_str.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "rrg/text/utf8.h"
#include "support/test_support.h"

namespace {

using rrg::text::python_isspace;
using rrg::text::python_lower;
using rrg::text::python_split;
using rrg::text::python_strip;

constexpr const char* kPython = "/usr/bin/python3";

std::string utf8(char32_t cp) {
  std::string out;
  rrg::text::append_utf8(cp, out);
  return out;
}

bool valid_scalar(char32_t cp) {
  return cp < 0xD800 || cp > 0xDFFF;
}

// Runs a Python program and returns its stdout (fails the test when Python fails).
std::string run_python(const std::string& program, const std::string& stdin_text = "") {
  const auto result = rrg::testing::run_command({kPython, "-c", program}, stdin_text);
  EXPECT_EQ(result.exit_code, 0) << "python oracle failed: " << result.err;
  return result.out;
}

// Prints, as JSON: the isspace code points, the non-identity lower mappings, and for each of
// four Final_Sigma probes the code points c for which the probe's sigma comes out final.
constexpr const char* kEveryCodePointProgram = R"PY(
import json
cps = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
S, F = "\u03a3", "\u03c2"
probes = {"A{}S": lambda c: ("A" + c + S).lower()[-1],
          " {}S": lambda c: (" " + c + S).lower()[-1],
          "AS{}": lambda c: ("A" + S + c).lower()[1],
          "AS{}A": lambda c: ("A" + S + c + "A").lower()[1]}
out = {"space": [c for c in cps if chr(c).isspace()],
       "lower": {str(c): [ord(x) for x in chr(c).lower()] for c in cps if chr(c).lower() != chr(c)},
       "final": {name: [c for c in cps if f(chr(c)) == F] for name, f in probes.items()}}
print(json.dumps(out))
)PY";

TEST(PythonStr, EveryCodePointMatchesPython) {
  const auto oracle = nlohmann::json::parse(run_python(kEveryCodePointProgram));
  std::vector<bool> space(0x110000, false);
  for (const auto& cp : oracle["space"]) space[cp.get<char32_t>()] = true;
  std::vector<std::vector<bool>> final_sigma;
  const std::vector<std::string> probe_names{"A{}S", " {}S", "AS{}", "AS{}A"};
  for (const auto& name : probe_names) {
    final_sigma.emplace_back(0x110000, false);
    for (const auto& cp : oracle["final"][name]) final_sigma.back()[cp.get<char32_t>()] = true;
  }
  const std::string sigma = utf8(0x03A3);
  const std::string final_form = utf8(0x03C2);
  int failures = 0;
  for (char32_t cp = 0; cp < 0x110000 && failures < 20; ++cp) {
    if (!valid_scalar(cp)) continue;
    const std::string c = utf8(cp);
    std::string expected_lower = c;
    if (const auto it = oracle["lower"].find(std::to_string(cp)); it != oracle["lower"].end()) {
      expected_lower.clear();
      for (const auto& m : *it) rrg::text::append_utf8(m.get<char32_t>(), expected_lower);
    }
    if (python_lower(c) != expected_lower) {
      ADD_FAILURE() << "lower(U+" << std::hex << cp << ")";
      ++failures;
    }
    if (python_isspace(cp) != space[cp]) {
      ADD_FAILURE() << "isspace(U+" << std::hex << cp << ")";
      ++failures;
    }
    // Probe results: where does the sigma land in our lower-cased string?
    const std::string lowered_c = python_lower(c);
    const std::vector<std::string> probes{
        python_lower("A" + c + sigma), python_lower(" " + c + sigma), python_lower("A" + sigma + c),
        python_lower("A" + sigma + c + "A")};
    for (std::size_t p = 0; p < probes.size(); ++p) {
      const std::size_t at = p < 2 ? 1 + lowered_c.size() : 1;
      const bool is_final = probes[p].compare(at, final_form.size(), final_form) == 0;
      if (is_final != final_sigma[p][cp]) {
        ADD_FAILURE() << "final sigma probe '" << probe_names[p] << "' with U+" << std::hex << cp;
        ++failures;
      }
    }
  }
}

// split() of one string holding every code point in order: Python reports the length (in code
// points) of each token, which pins down every whitespace boundary in one comparison.
TEST(PythonStr, SplitOfEveryCodePointMatchesPython) {
  const auto oracle = nlohmann::json::parse(run_python(R"PY(
import json
s = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
print(json.dumps({"split": [len(t) for t in s.split()], "strip": len(s.strip())}))
)PY"));
  std::string all;
  for (char32_t cp = 0; cp < 0x110000; ++cp) {
    if (valid_scalar(cp)) rrg::text::append_utf8(cp, all);
  }
  std::vector<std::size_t> lengths;
  for (const auto token : python_split(all))
    lengths.push_back(rrg::text::decode_utf8(token).size());
  EXPECT_EQ(lengths, oracle["split"].get<std::vector<std::size_t>>());
  EXPECT_EQ(rrg::text::decode_utf8(python_strip(all)).size(), oracle["strip"].get<std::size_t>());
}

// Decimal digits: the code points `\d` matches in Python's re (str patterns), with the value
// int() gives them.
TEST(PythonStr, DecimalDigitsOfEveryCodePointMatchPython) {
  const auto oracle = nlohmann::json::parse(run_python(R"PY(
import json, re
digit = re.compile(r"\d")
out = {str(c): int(chr(c)) for c in range(0x110000)
       if not 0xD800 <= c <= 0xDFFF and digit.fullmatch(chr(c))}
print(json.dumps(out))
)PY"));
  ASSERT_GT(oracle.size(), 600u);
  int failures = 0;
  for (char32_t cp = 0; cp < 0x110000 && failures < 20; ++cp) {
    if (!valid_scalar(cp)) continue;
    const auto it = oracle.find(std::to_string(cp));
    const int expected = it == oracle.end() ? -1 : it->get<int>();
    if (rrg::text::python_decimal_value(cp) != expected) {
      ADD_FAILURE() << "decimal value of U+" << std::hex << cp;
      ++failures;
    }
  }
}

// `\w` (RadGraph-XL's wordpunct_tokenize): Python lists the word code points as runs.
TEST(PythonStr, WordCharactersOfEveryCodePointMatchPython) {
  const auto oracle = nlohmann::json::parse(run_python(R"PY(
import json, re
word = re.compile(r"\w")
runs = []
for c in range(0x110000):
    if 0xD800 <= c <= 0xDFFF or not word.match(chr(c)):
        continue
    if runs and runs[-1][1] == c - 1:
        runs[-1][1] = c
    else:
        runs.append([c, c])
print(json.dumps(runs))
)PY"));
  ASSERT_GT(oracle.size(), 500u);
  std::vector<bool> word(0x110000, false);
  for (const auto& run : oracle) {
    for (char32_t cp = run[0].get<char32_t>(); cp <= run[1].get<char32_t>(); ++cp) word[cp] = true;
  }
  int failures = 0;
  for (char32_t cp = 0; cp < 0x110000 && failures < 20; ++cp) {
    if (!valid_scalar(cp)) continue;
    if (rrg::text::python_is_word_char(cp) != word[cp]) {
      ADD_FAILURE() << "\\w of U+" << std::hex << cp << ": python says " << word[cp];
      ++failures;
    }
  }
}

TEST(PythonStr, DecimalLengthReadsOneDigitAtATime) {
  int value = -1;
  const std::string text = "7" + utf8(0x0663) + utf8(0x1D7D8) + "x";  // 7, Arabic-Indic 3, 𝟘
  EXPECT_EQ(rrg::text::python_decimal_length(text, 0, value), 1u);
  EXPECT_EQ(value, 7);
  EXPECT_EQ(rrg::text::python_decimal_length(text, 1, value), 2u);
  EXPECT_EQ(value, 3);
  EXPECT_EQ(rrg::text::python_decimal_length(text, 3, value), 4u);
  EXPECT_EQ(value, 0);
  EXPECT_EQ(rrg::text::python_decimal_length(text, 7, value), 0u);    // 'x'
  EXPECT_EQ(rrg::text::python_decimal_length(text, 8, value), 0u);    // end
  EXPECT_EQ(rrg::text::python_decimal_length("\xff", 0, value), 0u);  // invalid byte
  // Superscript two is a digit (isdigit) but not decimal: \d does not match it.
  EXPECT_EQ(rrg::text::python_decimal_value(0x00B2), -1);
}

// Hand-written strings, sent to Python on stdin as JSON lines; Python answers lower/split/strip.
TEST(PythonStr, HandWrittenStringsMatchPython) {
  const std::vector<std::string> samples{
      "",
      "   ",
      "Heart size is NORMAL.",
      "no\u00A0effusion",           // NBSP separates
      "left\u3000lung",             // ideographic space separates
      "line\u2028break\u2029para",  // line / paragraph separators
      "a\x1C"
      "b\x1D"
      "c\x1E"
      "d\x1F"
      "e",                // information separators are whitespace in Python
      "next\u0085line",   // NEL
      "zero\u200Bwidth",  // zero-width space is NOT whitespace
      "thin\u2009space\u202Fnarrow\u205Fmath\u1680ogham",
      "\t\n\v\f\r mixed \r\n",
      "\u00A0\u3000 padded \u2028",
      "\u0130STANBUL \u0130",            // dotted capital I -> "i" + combining dot
      "\u212Aelvin \u2126hm",            // Kelvin and Ohm signs
      "\uFF28\uFF25\uFF21\uFF32\uFF34",  // full-width HEART
      "\u039F\u0394\u039F\u03A3",        // word-final capital sigma
      "\u039F\u0394\u039F\u03A3 \u039A\u0391\u0399 \u03A3\u0391",
      "\u03A3",                    // alone: no cased letter before -> small sigma
      "\u0391\u03A3\u0301",        // combining acute after (case-ignorable) -> final
      "\u0391\u03A3\u0301\u0391",  // cased letter after the ignorable -> small
      "A.\u03A3",                  // '.' is case-ignorable: the A counts
      ".\u03A3",
      "1\u03A3 \u03A31 A\u03A31",
      "\u0391'\u03A3'",
      "\u1E9E SHARP S \u00C5\u0041\u030A",
      "caf\u00C9 \u01C5 \u01C4 \u01C6",  // titlecase digraphs
  };
  std::string input;
  for (const auto& s : samples) input += nlohmann::json(s).dump() + "\n";
  std::istringstream answers(run_python(R"PY(
import json, sys
for line in sys.stdin:
    s = json.loads(line)
    print(json.dumps({"lower": s.lower(), "split": s.split(), "strip": s.strip()}))
)PY",
                                        input));
  for (const auto& s : samples) {
    std::string line;
    ASSERT_TRUE(std::getline(answers, line));
    const auto expected = nlohmann::json::parse(line);
    EXPECT_EQ(python_lower(s), expected["lower"].get<std::string>()) << s;
    std::vector<std::string> tokens;
    for (const auto t : python_split(s)) tokens.emplace_back(t);
    EXPECT_EQ(tokens, expected["split"].get<std::vector<std::string>>()) << s;
    EXPECT_EQ(std::string(python_strip(s)), expected["strip"].get<std::string>()) << s;
  }
}

// The special cases worked out by hand from CPython's rules (unicodeobject.c do_lower /
// handle_capital_sigma, SpecialCasing.txt), so the behaviour is documented here.
TEST(PythonStr, SpecialCasesWorkedByHand) {
  EXPECT_EQ(python_lower("\u0130"), "i\u0307");
  EXPECT_EQ(python_lower("\u212A"), "k");
  EXPECT_EQ(python_lower("\u039F\u0394\u039F\u03A3"), "\u03BF\u03B4\u03BF\u03C2");
  EXPECT_EQ(python_lower("\u03A3"), "\u03C3");
  EXPECT_EQ(python_lower("\u0391\u03A3\u0391"), "\u03B1\u03C3\u03B1");
  EXPECT_EQ(python_lower("\u0391\u03A3 \u0391"), "\u03B1\u03C2 \u03B1");
  EXPECT_EQ(python_lower("\u0391\u03A3\u0301"), "\u03B1\u03C2\u0301");
  EXPECT_EQ(python_lower("\u0391\u03A3\u0301\u0391"), "\u03B1\u03C3\u0301\u03B1");
  EXPECT_EQ(python_lower(".\u03A3"), ".\u03C3");
  EXPECT_EQ(python_lower("A.\u03A3"), "a.\u03C2");

  EXPECT_TRUE(python_isspace(0x00A0));
  EXPECT_TRUE(python_isspace(0x3000));
  EXPECT_TRUE(python_isspace(0x2028));
  EXPECT_TRUE(python_isspace(0x001C));
  EXPECT_TRUE(python_isspace(0x0085));
  EXPECT_FALSE(python_isspace(0x200B));  // zero-width space
  EXPECT_FALSE(python_isspace(0xFEFF));  // byte order mark

  EXPECT_EQ(python_split(" a\u00A0b\u200Bc\u3000 "),
            (std::vector<std::string_view>{"a", "b\u200Bc"}));
  EXPECT_EQ(python_strip("\u2028 x y \u0085"), "x y");
  EXPECT_TRUE(python_split("\u00A0\u3000\t").empty());
  EXPECT_EQ(python_strip(" \u3000 "), "");
}

TEST(PythonStr, InvalidBytesPassThroughWithoutCrashing) {
  // Callers validate UTF-8 first; these functions still must not crash or drop bytes.
  EXPECT_EQ(python_lower("A\xFF"
                         "B\xC3"),
            "a\xFF"
            "b\xC3");
  EXPECT_EQ(python_split("x\xFF y"), (std::vector<std::string_view>{"x\xFF", "y"}));
  EXPECT_EQ(python_strip("\x80 z \xBF"), "\x80 z \xBF");
  EXPECT_EQ(python_lower("\x80\u03A3"), "\x80\u03C3");
}

TEST(PythonStr, ReportsItsUnicodeVersion) {
  EXPECT_STREQ(rrg::text::python_unicode_version(), "14.0.0");
}

}  // namespace
