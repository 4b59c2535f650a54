// Sums of per-sample integers over the samples a bit mask selects, for the randomization tests
// of count-based metrics (BLEU's clipped matches and lengths, a classifier's TP / FP / FN, ...).
//
// A trial of the approximate randomization test swaps the samples whose bit is set; for a
// count-based metric the randomized systems' totals are
//   total(A) + S and total(B) - S,  S = sum of (B_i - A_i) over the swapped samples i,
// and S is all a trial needs. MaskedIntegerSum stores the values as bit planes (plane p holds
// bit p of every value, 64 samples per word, two's complement), so
//   S = sum over planes p of weight(p) * sum over words w of popcount(mask[w] & plane_p[w]),
// a handful of popcounts per 64 samples instead of one add per sample. Exact integer arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rrg::stats {

class MaskedIntegerSum {
 public:
  MaskedIntegerSum() = default;
  explicit MaskedIntegerSum(const std::vector<std::int64_t>& values)
      : MaskedIntegerSum(values.data(), values.size()) {}
  MaskedIntegerSum(const std::int64_t* values, std::size_t count);

  // Sum of values[i] over the i whose bit is set in `mask` (ceil(count / 64) words; bits at or
  // past `count` are ignored).
  std::int64_t operator()(const std::uint64_t* mask) const;

  std::int64_t total() const { return total_; }
  std::size_t size() const { return count_; }
  std::size_t planes() const { return planes_; }

 private:
  std::size_t count_ = 0;
  std::size_t words_ = 0;
  std::size_t planes_ = 0;  // value bits stored; the last is the sign plane when signed_
  bool signed_ = false;
  std::int64_t total_ = 0;
  std::vector<std::uint64_t> bits_;  // plane p, word w at bits_[p * words_ + w]
};

namespace detail {
// The popcount of a[w] & b[w] summed over w: the hardware version when the CPU has POPCNT (what
// MaskedIntegerSum uses) and the portable one (exposed so that tests can compare them).
std::uint64_t and_popcount(const std::uint64_t* a, const std::uint64_t* b, std::size_t words);
std::uint64_t and_popcount_portable(const std::uint64_t* a, const std::uint64_t* b,
                                    std::size_t words);
}  // namespace detail

}  // namespace rrg::stats
