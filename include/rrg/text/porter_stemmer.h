// The Porter stemmer exactly as NLTK 3.8 implements it (`nltk.stem.porter.PorterStemmer()`).
//
// Both seed-convention metrics stem with NLTK's stemmer in its default NLTK_EXTENSIONS mode:
// rouge-score 0.1.2 (`use_stemmer=True`) and NLTK's METEOR (its stem stage). That mode is
// Porter's 1980 algorithm plus Martin Porter's later fixes plus NLTK's own changes, and a stem
// that differs in one letter changes both scores, so this class reproduces NLTK's code path by
// path: the irregular-forms pool ("skies" -> "sky", "dying" -> "die", ...), the short-word rule
// (words of at most two characters are only lower-cased), the NLTK special cases of steps 1a
// ("ties" -> "tie"), 1b ("-ied"), 1c (y -> i only after a consonant), 2 ("-alli", "-fulli",
// "-logi") and the *o condition for two-letter stems, and even the literal "*d" suffix quirk of
// NLTK's rule table. Like Python it works on code points: letters outside a-z count as
// consonants, and `stem()` first applies Python's full Unicode str.lower().
//
// The stemmer holds no state besides constant tables; callers that stem the same word often
// (every metric does) cache stems per distinct word themselves.
#pragma once

#include <string>
#include <string_view>

namespace rrg::text {

class PorterStemmer {
 public:
  // NLTK `PorterStemmer().stem(word)` (to_lowercase=True) of valid UTF-8 text.
  std::string stem(std::string_view word) const;
};

}  // namespace rrg::text
