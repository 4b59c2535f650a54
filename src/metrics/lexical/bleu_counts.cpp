// Clipped n-gram counting for BLEU (see bleu_counts.h).
//
// An n-gram of up to four 32-bit token ids is packed into a 128-bit key, so keys are exact and
// need no verification. Per order n, the hypothesis n-grams go into a small open-addressing
// table; each reference is then scanned once, counting only n-grams the hypothesis has, and the
// per-n-gram maximum over references clips the hypothesis counts. An n-gram can only match if its
// (n-1)-gram prefix matches, so the orders stop at the first order without matches.
#include "rrg/metrics/lexical/bleu_counts.h"

#include "rrg/metrics/lexical/sample_loop.h"

#include <algorithm>

namespace rrg::metrics {
namespace {

constexpr std::uint64_t kAbsent = 0xFFFFFFFFull;  // pads keys of n-grams shorter than 4

inline std::uint64_t hash_key(std::uint64_t high, std::uint64_t low) {
  std::uint64_t h = (high ^ (low * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

}  // namespace

BleuCounts BleuCounter::count(TokenSpan hyp, const std::vector<TokenSpan>& refs) {
  BleuCounts out;
  out.hyp_length = hyp.size;
  bool first = true;
  for (const TokenSpan& ref : refs) {
    const auto distance = [&](std::size_t length) {
      return length > hyp.size ? length - hyp.size : hyp.size - length;
    };
    const std::size_t d = distance(ref.size), best = distance(out.closest_ref_length);
    if (first || d < best || (d == best && ref.size < out.closest_ref_length)) {
      out.closest_ref_length = ref.size;
    }
    first = false;
  }

  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    const std::size_t order = k + 1;
    if (hyp.size < order) break;
    // Exact packing: ids in the high words, 0xFFFFFFFF for positions beyond the order.
    const auto high_at = [order](const TokenId* p) {
      return (static_cast<std::uint64_t>(p[0]) << 32) | (order >= 2 ? p[1] : kAbsent);
    };
    const auto low_at = [order](const TokenId* p) {
      return ((order >= 3 ? static_cast<std::uint64_t>(p[2]) : kAbsent) << 32) |
             (order >= 4 ? p[3] : kAbsent);
    };
    const std::size_t n_hyp = hyp.size - k;
    std::size_t table_size = 16;
    while (table_size < 2 * n_hyp) table_size *= 2;
    const std::size_t mask = table_size - 1;
    slots_.assign(table_size, -1);
    key_high_.clear();
    key_low_.clear();
    count_.clear();

    for (std::size_t i = 0; i < n_hyp; ++i) {
      const std::uint64_t high = high_at(hyp.data + i), low = low_at(hyp.data + i);
      for (std::size_t s = hash_key(high, low) & mask;; s = (s + 1) & mask) {
        const std::int32_t e = slots_[s];
        if (e < 0) {
          slots_[s] = static_cast<std::int32_t>(key_high_.size());
          key_high_.push_back(high);
          key_low_.push_back(low);
          count_.push_back(1);
          break;
        }
        if (key_high_[e] == high && key_low_[e] == low) {
          ++count_[e];
          break;
        }
      }
    }
    const std::size_t distinct = key_high_.size();
    max_ref_.assign(distinct, 0);
    current_.assign(distinct, 0);

    for (const TokenSpan& ref : refs) {
      if (ref.size < order) continue;
      const std::size_t n_ref = ref.size - k;
      bool any = false;
      for (std::size_t j = 0; j < n_ref; ++j) {
        const std::uint64_t high = high_at(ref.data + j), low = low_at(ref.data + j);
        for (std::size_t s = hash_key(high, low) & mask;; s = (s + 1) & mask) {
          const std::int32_t e = slots_[s];
          if (e < 0) break;
          if (key_high_[e] == high && key_low_[e] == low) {
            ++current_[e];
            any = true;
            break;
          }
        }
      }
      if (!any) continue;
      for (std::size_t e = 0; e < distinct; ++e) {
        max_ref_[e] = std::max(max_ref_[e], current_[e]);
        current_[e] = 0;
      }
    }

    std::size_t matches = 0;
    for (std::size_t e = 0; e < distinct; ++e) matches += std::min(count_[e], max_ref_[e]);
    out.matches[k] = matches;
    if (matches == 0) break;
  }
  return out;
}

namespace {

class BleuWorker final : public SampleWorker {
 public:
  void compute(const SampleView& sample, double* row) override {
    refs_.clear();
    for (std::size_t r = 0; r < sample.reference_count(); ++r) refs_.push_back(sample.reference(r));
    const BleuCounts counts = counter_.count(sample.hypothesis(), refs_);
    row[0] = static_cast<double>(counts.hyp_length);
    row[1] = static_cast<double>(counts.closest_ref_length);
    for (std::size_t k = 0; k < kBleuMaxOrder; ++k)
      row[2 + k] = static_cast<double>(counts.matches[k]);
  }

 private:
  BleuCounter counter_;
  std::vector<TokenSpan> refs_;
};

}  // namespace

BleuCounts bleu_counts_of_row(const double* row) {
  BleuCounts counts;
  counts.hyp_length = static_cast<std::size_t>(row[0]);
  counts.closest_ref_length = static_cast<std::size_t>(row[1]);
  for (std::size_t k = 0; k < kBleuMaxOrder; ++k) {
    counts.matches[k] = static_cast<std::size_t>(row[2 + k]);
  }
  return counts;
}

std::unique_ptr<SampleWorker> make_bleu_worker() {
  return std::make_unique<BleuWorker>();
}

SampleStatistics bleu_statistics(const TextCorpus& corpus, Tokenizer tokenizer,
                                 std::size_t threads) {
  return sample_statistics(corpus, tokenizer, kBleuRowWidth, make_bleu_worker, threads);
}

}  // namespace rrg::metrics
