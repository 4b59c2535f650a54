// NLTK 3.8's PorterStemmer (NLTK_EXTENSIONS mode), step by step (see porter_stemmer.h).
//
// Reference: nltk/stem/porter.py of NLTK 3.8 (Debian python3-nltk). Each step below names the
// NLTK method it reproduces; the rule tables keep NLTK's order because `_apply_rule_list` stops
// at the first rule whose suffix matches, whether or not its condition then holds.
//
// The algorithm runs on a string of code points: std::string for ASCII words (the common case,
// no conversion) and std::u32string otherwise, through one template, so non-ASCII letters behave
// exactly as in Python (one position each, always consonants).
#include "rrg/text/porter_stemmer.h"

#include <cstddef>

#include "rrg/text/python_str.h"
#include "rrg/text/utf8.h"

namespace rrg::text {
namespace {

// NLTK_EXTENSIONS' irregular forms (PorterStemmer.__init__ `irregular_forms`, inverted).
struct PoolEntry {
  std::string_view form;
  std::string_view stem;
};
constexpr PoolEntry kPool[] = {
    {"sky", "sky"},        {"skies", "sky"},       {"dying", "die"},        {"lying", "lie"},
    {"tying", "tie"},      {"news", "news"},       {"innings", "inning"},   {"inning", "inning"},
    {"outings", "outing"}, {"outing", "outing"},   {"cannings", "canning"}, {"canning", "canning"},
    {"howe", "howe"},      {"proceed", "proceed"}, {"exceed", "exceed"},    {"succeed", "succeed"},
};

// The condition of a rule, evaluated on the word and the length of the stem left once the
// suffix is removed.
enum class Cond {
  kNone,             // unconditional
  kPositiveMeasure,  // m(stem) > 0
  kMeasureAbove1,    // m(stem) > 1
  kIon,              // m(stem) > 1 and stem ends in s or t (step 4 "ion")
  kLogi,             // m(word[:-3]) > 0 (NLTK's step 2 "logi" lambda looks at the word)
};

struct Rule {
  std::string_view suffix;
  std::string_view replacement;
  Cond cond;
};

// Step 2 rules (PorterStemmer._step2, NLTK_EXTENSIONS: "bli" instead of "abli", then "fulli"
// and "logi" appended at the end).
constexpr Rule kStep2[] = {
    {"ational", "ate", Cond::kPositiveMeasure}, {"tional", "tion", Cond::kPositiveMeasure},
    {"enci", "ence", Cond::kPositiveMeasure},   {"anci", "ance", Cond::kPositiveMeasure},
    {"izer", "ize", Cond::kPositiveMeasure},    {"bli", "ble", Cond::kPositiveMeasure},
    {"alli", "al", Cond::kPositiveMeasure},     {"entli", "ent", Cond::kPositiveMeasure},
    {"eli", "e", Cond::kPositiveMeasure},       {"ousli", "ous", Cond::kPositiveMeasure},
    {"ization", "ize", Cond::kPositiveMeasure}, {"ation", "ate", Cond::kPositiveMeasure},
    {"ator", "ate", Cond::kPositiveMeasure},    {"alism", "al", Cond::kPositiveMeasure},
    {"iveness", "ive", Cond::kPositiveMeasure}, {"fulness", "ful", Cond::kPositiveMeasure},
    {"ousness", "ous", Cond::kPositiveMeasure}, {"aliti", "al", Cond::kPositiveMeasure},
    {"iviti", "ive", Cond::kPositiveMeasure},   {"biliti", "ble", Cond::kPositiveMeasure},
    {"fulli", "ful", Cond::kPositiveMeasure},   {"logi", "log", Cond::kLogi},
};

// Step 3 rules (PorterStemmer._step3).
constexpr Rule kStep3[] = {
    {"icate", "ic", Cond::kPositiveMeasure}, {"ative", "", Cond::kPositiveMeasure},
    {"alize", "al", Cond::kPositiveMeasure}, {"iciti", "ic", Cond::kPositiveMeasure},
    {"ical", "ic", Cond::kPositiveMeasure},  {"ful", "", Cond::kPositiveMeasure},
    {"ness", "", Cond::kPositiveMeasure},
};

// Step 4 rules (PorterStemmer._step4).
constexpr Rule kStep4[] = {
    {"al", "", Cond::kMeasureAbove1},    {"ance", "", Cond::kMeasureAbove1},
    {"ence", "", Cond::kMeasureAbove1},  {"er", "", Cond::kMeasureAbove1},
    {"ic", "", Cond::kMeasureAbove1},    {"able", "", Cond::kMeasureAbove1},
    {"ible", "", Cond::kMeasureAbove1},  {"ant", "", Cond::kMeasureAbove1},
    {"ement", "", Cond::kMeasureAbove1}, {"ment", "", Cond::kMeasureAbove1},
    {"ent", "", Cond::kMeasureAbove1},   {"ion", "", Cond::kIon},
    {"ou", "", Cond::kMeasureAbove1},    {"ism", "", Cond::kMeasureAbove1},
    {"ate", "", Cond::kMeasureAbove1},   {"iti", "", Cond::kMeasureAbove1},
    {"ous", "", Cond::kMeasureAbove1},   {"ive", "", Cond::kMeasureAbove1},
    {"ize", "", Cond::kMeasureAbove1},
};

template <class Char>
constexpr bool is_vowel_letter(Char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// The stemming steps on a word of code units S (std::string holding ASCII, or std::u32string).
template <class S>
class Steps {
 public:
  using Char = typename S::value_type;

  explicit Steps(S& word) : w_(word) {}

  void run() {
    step1a();
    step1b();
    step1c();
    step2();
    apply_rules(kStep3, std::size(kStep3));
    apply_rules(kStep4, std::size(kStep4));
    step5a();
    step5b();
  }

 private:
  // _is_consonant(word, i): not a, e, i, o, u, and 'y' only when it follows a vowel (or starts
  // the word). The recursion of NLTK's version becomes a walk back over a run of y's.
  bool consonant(std::size_t i) const {
    bool flip = false;
    std::size_t k = i;
    while (w_[k] == 'y' && k > 0) {
      flip = !flip;
      --k;
    }
    const bool base = w_[k] == 'y' ? true : !is_vowel_letter(w_[k]);
    return flip ? !base : base;
  }

  // _measure(word[:n]): the number of "vc" pairs in the consonant/vowel pattern.
  int measure(std::size_t n) const {
    if (n == 0) return 0;
    int m = 0;
    bool previous = consonant(0);
    for (std::size_t i = 1; i < n; ++i) {
      const bool current = is_vowel_letter(w_[i]) ? false : (w_[i] == 'y' ? !previous : true);
      if (!previous && current) ++m;
      previous = current;
    }
    return m;
  }

  // _contains_vowel(word[:n]), in one forward pass (a long run of y's stays linear).
  bool contains_vowel(std::size_t n) const {
    if (n == 0) return false;
    bool previous = consonant(0);
    if (!previous) return true;
    for (std::size_t i = 1; i < n; ++i) {
      previous = is_vowel_letter(w_[i]) ? false : (w_[i] == 'y' ? !previous : true);
      if (!previous) return true;
    }
    return false;
  }

  // _ends_double_consonant(word).
  bool ends_double_consonant() const {
    const std::size_t n = w_.size();
    return n >= 2 && w_[n - 1] == w_[n - 2] && consonant(n - 1);
  }

  // _ends_cvc(word[:n]), with NLTK_EXTENSIONS' extra case of a two-letter vowel-consonant stem.
  bool ends_cvc(std::size_t n) const {
    if (n >= 3 && consonant(n - 3) && !consonant(n - 2) && consonant(n - 1) && w_[n - 1] != 'w' &&
        w_[n - 1] != 'x' && w_[n - 1] != 'y') {
      return true;
    }
    return n == 2 && !consonant(0) && consonant(1);
  }

  bool ends_with(std::string_view suffix) const {
    const std::size_t n = w_.size();
    if (suffix.size() > n) return false;
    for (std::size_t k = 0; k < suffix.size(); ++k) {
      if (w_[n - suffix.size() + k] != static_cast<Char>(static_cast<unsigned char>(suffix[k]))) {
        return false;
      }
    }
    return true;
  }

  // word[:stem_length] + replacement.
  void replace_tail(std::size_t stem_length, std::string_view replacement) {
    w_.resize(stem_length);
    for (char c : replacement) w_.push_back(static_cast<Char>(static_cast<unsigned char>(c)));
  }

  bool holds(Cond cond, std::size_t stem_length) const {
    switch (cond) {
      case Cond::kNone:
        return true;
      case Cond::kPositiveMeasure:
        return measure(stem_length) > 0;
      case Cond::kMeasureAbove1:
        return measure(stem_length) > 1;
      case Cond::kIon:
        return measure(stem_length) > 1 &&
               (w_[stem_length - 1] == 's' || w_[stem_length - 1] == 't');
      case Cond::kLogi:
        return measure(w_.size() - 3) > 0;
    }
    return false;
  }

  // _apply_rule_list for tables without the "*d" and "" pseudo-suffixes: the first rule whose
  // suffix matches decides, even when its condition fails (then the word is kept).
  void apply_rules(const Rule* rules, std::size_t count) {
    for (std::size_t r = 0; r < count; ++r) {
      if (!ends_with(rules[r].suffix)) continue;
      const std::size_t stem_length = w_.size() - rules[r].suffix.size();
      if (holds(rules[r].cond, stem_length)) replace_tail(stem_length, rules[r].replacement);
      return;
    }
  }

  // _step1a: sses -> ss, ies -> i, ss -> ss, s -> ""; NLTK: a four-letter "-ies" word keeps
  // "ie" ("ties" -> "tie").
  void step1a() {
    const std::size_t n = w_.size();
    if (ends_with("ies") && n == 4) {
      replace_tail(n - 3, "ie");
    } else if (ends_with("sses")) {
      replace_tail(n - 4, "ss");
    } else if (ends_with("ies")) {
      replace_tail(n - 3, "i");
    } else if (ends_with("ss")) {
      // unchanged
    } else if (ends_with("s")) {
      replace_tail(n - 1, "");
    }
  }

  // _step1b: NLTK's "-ied" rule, (m>0) eed -> ee, (*v*) ed / ing -> "" followed by the
  // at/bl/iz, double-consonant and (m=1 and *o) -> e clean-ups.
  void step1b() {
    const std::size_t n = w_.size();
    if (ends_with("ied")) {
      replace_tail(n - 3, n == 4 ? "ie" : "i");
      return;
    }
    if (ends_with("eed")) {
      if (measure(n - 3) > 0) replace_tail(n - 3, "ee");
      return;
    }
    std::size_t intermediate = 0;
    bool succeeded = false;
    if (ends_with("ed") && contains_vowel(n - 2)) {
      intermediate = n - 2;
      succeeded = true;
    } else if (ends_with("ing") && contains_vowel(n - 3)) {
      intermediate = n - 3;
      succeeded = true;
    }
    if (!succeeded) return;
    w_.resize(intermediate);

    if (ends_with("at") || ends_with("bl") || ends_with("iz")) {
      replace_tail(w_.size(), "e");
      return;
    }
    // ("*d", last letter, last letter not in l/s/z): NLTK first tests the double consonant ...
    const Char last = w_.back();
    const bool keeps_double = last == 'l' || last == 's' || last == 'z';
    if (ends_double_consonant()) {
      if (!keeps_double) w_.pop_back();
      return;
    }
    // ... and then, like any rule, whether the word ends with the literal suffix "*d" (only
    // possible for words holding '*'): "x*d" becomes "x" + "d".
    if (ends_with("*d")) {
      if (!keeps_double) replace_tail(w_.size() - 2, "d");
      return;
    }
    // ("", "e", m=1 and *o): the empty suffix always matches.
    if (measure(w_.size()) == 1 && ends_cvc(w_.size())) replace_tail(w_.size(), "e");
  }

  // _step1c, NLTK condition: y -> i when the stem is longer than one letter and ends with a
  // consonant ("happy" -> "happi", "enjoy" and "by" unchanged).
  void step1c() {
    if (!ends_with("y")) return;
    const std::size_t stem_length = w_.size() - 1;
    if (stem_length > 1 && consonant(stem_length - 1)) w_[stem_length] = 'i';
  }

  // _step2 with NLTK's "-alli" shortcut, which replaces the suffix and runs step 2 again.
  void step2() {
    while (ends_with("alli") && measure(w_.size() - 4) > 0) replace_tail(w_.size() - 4, "al");
    apply_rules(kStep2, std::size(kStep2));
  }

  // _step5a: (m>1) e -> "", (m=1 and not *o) e -> "".
  void step5a() {
    if (!ends_with("e")) return;
    const std::size_t stem_length = w_.size() - 1;
    const int m = measure(stem_length);
    if (m > 1 || (m == 1 && !ends_cvc(stem_length))) w_.resize(stem_length);
  }

  // _step5b: ll -> l when m(word[:-1]) > 1.
  void step5b() {
    if (ends_with("ll") && measure(w_.size() - 1) > 1) w_.pop_back();
  }

  S& w_;
};

std::size_t code_point_count(std::string_view utf8) {
  std::size_t count = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace

std::string PorterStemmer::stem(std::string_view word) const {
  // NLTK looks the *original* word up in the pool and measures the original's length.
  for (const auto& entry : kPool) {
    if (entry.form == word) return std::string(entry.stem);
  }
  std::string lowered = python_lower(word);
  if (code_point_count(word) <= 2) return lowered;
  if (is_ascii(lowered)) {
    Steps<std::string>(lowered).run();
    return lowered;
  }
  std::u32string code_points = decode_utf8(lowered);
  Steps<std::u32string>(code_points).run();
  return encode_utf8(code_points);
}

}  // namespace rrg::text
