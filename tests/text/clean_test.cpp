// Tests of the report cleaners (rrg/text/clean.h).
//
// Oracle: /usr/bin/python3 running the same patterns with Python's own `re` and str methods (the
// program below is our statement of each convention, written for this test), so our hand-written
// matchers are checked against Python's regex engine on tricky texts. A few results worked by hand
// document the conventions' quirks directly.
#include "rrg/text/clean.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "rrg/core/errors.h"
#include "support/test_support.h"

namespace {

using rrg::text::r2gen_clean_iu_xray;
using rrg::text::r2gen_clean_mimic_cxr;
using rrg::text::seed_clean_report;

// The conventions in Python, one JSON string per input line -> {"seed", "iu", "mimic"}.
constexpr const char* kOracle = R"PY(
import json, re, sys

def seed(t):
    t = re.sub(r"<think>.*?</think>", "", t, flags=re.DOTALL)
    t = t.replace("<|im_end|>", "").replace("<|im_start|>", "")
    t = re.sub(r"\*\*(.*?)\*\*", r"\1", t)
    t = re.sub(r"^#+\s+", "", t, flags=re.MULTILINE)
    t = re.sub(r"^\s*[-*\u2022]\s+", "", t, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", t).strip()

def r2gen(t, steps):
    for a, b in steps:
        t = t.replace(a, b)
    def sentence(s):
        for ch in "\"/\\'":
            s = s.replace(ch, "")
        return re.sub(r"[.,?;*!%^&_+():-\[\]{}]", "", s.strip().lower())
    return " . ".join(sentence(s) for s in t.strip().lower().split(". ")) + " ."

numbered = [("1. ", "")] + [(". %d. " % k, ". ") for k in range(2, 6)] + \
           [(" %d. " % k, ". ") for k in range(2, 6)]
iu = [("..", ".")] * 3 + numbered
mimic = [("\n", " ")] + [("__", "_")] * 7 + [("  ", " ")] * 6 + [("..", ".")] * 8 + numbered

for line in sys.stdin:
    t = json.loads(line)
    print(json.dumps({"seed": seed(t), "iu": r2gen(t, iu), "mimic": r2gen(t, mimic)}))
)PY";

const std::vector<std::string> kTexts{
    "",
    "   \n\t ",
    "The heart is normal in size. The lungs are clear.",
    "<think>Reasoning about\nthe film.</think>\n# Findings\n- **Heart**: enlarged.\n"
    "* Lungs: clear.\n\u2022 No effusion.\n## Impression\nCardiomegaly.<|im_end|>",
    "<|im_start|>assistant\nNo acute disease.<|im_end|>",
    "<think>unterminated block\nstill thinking",
    "<think>a</think> kept <think>b</think> kept too </think>",
    "<think><think>nested</think> tail</think>",
    "**bold** and **also bold** and **unclosed",
    "***x** then ** across\nlines ** and ****",
    "#Not a header\n#\tTab header\n##  Two\n#\n# Empty line header above",
    "  - indented bullet\n-no space bullet\n--double\n*\n* star\n\u2022\u00A0nbsp bullet",
    "\n\n- bullet after blank lines\n \n * spaced",
    "- # bullet then header\n# - header then bullet",
    "text\u00A0with\u3000unicode\u2028spaces\u0085and\u001Cseparators\u200Bzero width",
    "1. Heart normal. 2. Lungs clear. 3. No effusion..",
    "FINDINGS: Heart size normal... No pneumothorax. 2. No effusion.",
    "XXXX AP view (portable) [limited]; lungs: clear! 50% {note} a+b=c <tag> @home ^_^",
    "T11-T12 \"wedge\" deformity / old fx \\ patient's spine. IMPRESSION: stable",
    "line one\nline two__with___underscores  and  double   spaces.. ok",
    "\u0130NFILTRATE STRA\u00DFE \u039F\u0394\u039F\u03A3 \u212Aelvin. NEXT SENTENCE.",
    ". leading separator.  double separator. . empty one. ",
    "ends with number 5. ",
    "t11-t12 left-sided #3 a*b <b>x</b> 2 < 3",  // markup characters that are not markup
    "line\n  \u2022\tbullet after indent\n\u3000- ideographic-space indent",
    "no markup at all,\u00A0just  spacing\t\n",
};

TEST(Clean, MatchesPythonOnTrickyTexts) {
  std::string input;
  for (const auto& t : kTexts) input += nlohmann::json(t).dump() + "\n";
  const auto result = rrg::testing::run_command({"/usr/bin/python3", "-c", kOracle}, input);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream answers(result.out);
  for (const auto& t : kTexts) {
    std::string line;
    ASSERT_TRUE(std::getline(answers, line));
    const auto expected = nlohmann::json::parse(line);
    EXPECT_EQ(seed_clean_report(t), expected["seed"].get<std::string>()) << t;
    EXPECT_EQ(r2gen_clean_iu_xray(t), expected["iu"].get<std::string>()) << t;
    EXPECT_EQ(r2gen_clean_mimic_cxr(t), expected["mimic"].get<std::string>()) << t;
  }
}

TEST(Clean, SeedWorkedByHand) {
  EXPECT_EQ(seed_clean_report("<think>x\ny</think>\n## Impression\n- **No** effusion.<|im_end|>"),
            "Impression No effusion.");
  EXPECT_EQ(seed_clean_report(" a \t b\u00A0\n"), "a b");
  EXPECT_EQ(seed_clean_report("a\u200Bb"), "a\u200Bb");  // zero-width space is not whitespace
  EXPECT_EQ(seed_clean_report("#hashtag - not a bullet"), "#hashtag - not a bullet");
}

TEST(Clean, R2GenWorkedByHand) {
  // Sentences split on ". ", punctuation dropped, '-' kept, rejoined with " . ".
  EXPECT_EQ(r2gen_clean_iu_xray("Heart: normal. T11-T12 (old)."), "heart normal . t11-t12 old .");
  // An empty report still yields the separator.
  EXPECT_EQ(r2gen_clean_iu_xray(""), " .");
  // The class range `:-\[` removes '<', '=', '>', '@' too.
  EXPECT_EQ(r2gen_clean_iu_xray("a<b=c>d@e"), "abcde .");
  // "1. " is removed everywhere, even inside "11. ".
  EXPECT_EQ(r2gen_clean_iu_xray("Rib 11. Fracture"), "rib 1fracture .");
  // "\n" becomes a space, "__" one "_", which the class then removes.
  EXPECT_EQ(r2gen_clean_mimic_cxr("a\nb__c  d"), "a bc d .");
}

TEST(Clean, CleanersByName) {
  EXPECT_EQ(rrg::text::find_cleaner("none").clean(" As Is "), " As Is ");
  EXPECT_EQ(rrg::text::find_cleaner("seed").clean(" **x** "), "x");
  EXPECT_EQ(rrg::text::find_cleaner("r2gen-iu").clean("A. B"), "a . b .");
  EXPECT_EQ(rrg::text::find_cleaner("r2gen-mimic").clean("A\nB"), "a b .");
  try {
    rrg::text::find_cleaner("r2gen");
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_STREQ(e.what(), "unknown cleaner 'r2gen' (known: none, seed, r2gen-iu, r2gen-mimic)");
  }
}

}  // namespace
