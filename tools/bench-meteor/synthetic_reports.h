// Synthetic chest X-ray report pairs for benchmarks (no real patient text).
//
// References are 3-8 sentences drawn from phrase pools (normal studies, effusions, cardiomegaly,
// lines and tubes, negations, uncertainty); each hypothesis paraphrases its reference the way a
// report generator does: sentences dropped, reordered or replaced, words inflected ("effusion" ->
// "effusions"), swapped for WordNet synonyms ("clear" -> "open", "big" -> "large") or repeated.
// The generator is deterministic for a given seed, so runs are comparable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rrg::bench {

struct ReportPair {
  std::string reference;
  std::string hypothesis;
};

std::vector<ReportPair> synthetic_report_pairs(std::size_t count, std::uint32_t seed = 42);

}  // namespace rrg::bench
