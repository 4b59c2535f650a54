// "Did you mean ...?" suggestions for misspelled metric, labeler and format names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rrg::text {

// Candidates within a small edit distance of `word` (case-insensitive Levenshtein distance at
// most max(2, size/3)), closest first.
std::vector<std::string> close_matches(std::string_view word,
                                       const std::vector<std::string>& candidates);

// " (did you mean 'X' or 'Y'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace rrg::text
