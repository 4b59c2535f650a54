// `text.lower().split()` at metric speed: Python semantics, reused buffers, an ASCII fast path.
//
// The seed convention tokenizes every report as Python's `text.lower().split()` (NLTK BLEU and
// METEOR) or starts from `text.lower()` (rouge-score). python_lower() and python_split()
// (rrg/text/python_str.h) define those semantics for any Unicode text; most reports are plain
// ASCII, for which lower-casing is A-Z -> a-z and whitespace is " \t\n\v\f\r" plus the
// separators \x1c-\x1f. A LowerSplitter handles such text in one pass over reused buffers and
// hands any other text to python_lower()/python_split(), so results are identical either way.
// One object per thread; the views it returns stay valid until its next call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rrg::text {

class LowerSplitter {
 public:
  // python_lower(text); valid until the next call.
  const std::string& lower(std::string_view text);

  // python_split(python_lower(text)); the views point into lowered text kept by this object.
  const std::vector<std::string_view>& lower_split(std::string_view text);

 private:
  std::string lowered_;
  std::vector<std::string_view> tokens_;
  bool ascii_ = true;
};

}  // namespace rrg::text
