// LowerSplitter (see lower_splitter.h).
#include "rrg/text/lower_splitter.h"

#include <cstdint>
#include <cstring>

#include "rrg/text/python_str.h"

namespace rrg::text {
namespace {

// Python's str.isspace() for code points below 0x80.
constexpr bool ascii_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
}

}  // namespace

const std::string& LowerSplitter::lower(std::string_view text) {
  // Any byte >= 0x80 means non-ASCII text: Python's full Unicode lower-casing applies.
  std::uint64_t high_bits = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    high_bits |= word;
  }
  for (; i < text.size(); ++i) high_bits |= static_cast<unsigned char>(text[i]);
  ascii_ = (high_bits & 0x8080808080808080ull) == 0;
  if (!ascii_) {
    lowered_ = python_lower(text);
    return lowered_;
  }
  lowered_.resize(text.size());
  for (std::size_t k = 0; k < text.size(); ++k) {
    const auto c = static_cast<unsigned char>(text[k]);
    lowered_[k] = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26 ? 32 : 0));
  }
  return lowered_;
}

const std::vector<std::string_view>& LowerSplitter::lower_split(std::string_view text) {
  lower(text);
  if (!ascii_) {
    python_split(lowered_, tokens_);
    return tokens_;
  }
  tokens_.clear();
  const std::string_view s(lowered_);
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && ascii_space(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t start = i;
    while (i < s.size() && !ascii_space(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) tokens_.push_back(s.substr(start, i - start));
  }
  return tokens_;
}

}  // namespace rrg::text
