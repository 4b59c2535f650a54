// Length of the longest common subsequence of two token-id sequences (ROUGE-L's core).
//
// Bit-parallel algorithm of Crochemore, Iliopoulos, Pinzon and Reid (2001) in Hyyro's form:
// one machine word covers 64 tokens of the shorter sequence, so a typical report pair takes
// about as many word operations as the longer report has tokens, instead of the n*m cells of
// the textbook dynamic programme. The result is the same integer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rrg/metrics/lexical/token_ids.h"

namespace rrg::metrics {

// Reusable scratch; keep one per thread.
class LcsCalculator {
 public:
  std::size_t length(TokenSpan a, TokenSpan b);

 private:
  std::vector<std::uint64_t> masks_;  // match masks, `words_` words per distinct token
  std::vector<std::int32_t> slots_;   // token id -> mask index (open addressing)
  std::vector<TokenId> slot_keys_;
  std::vector<std::uint64_t> v_;
};

}  // namespace rrg::metrics
