// rouge-score 0.1.2 ROUGE-L (see rouge_score.h).
//
// Reference: google-research/rouge rouge_scorer.py (`_score_lcs`, `_lcs_table`), tokenize.py
// (`tokenize`) and scoring.py (`fmeasure`) as released in rouge-score 0.1.2.
#include "rrg/metrics/rouge_score.h"

#include <bitset>
#include <memory>

#include "rrg/metrics/python_math.h"
#include "rrg/text/lower_splitter.h"
#include "rrg/text/porter_stemmer.h"
#include "rrg/text/token_interner.h"

namespace rrg::metrics {
namespace {

constexpr std::uint32_t kUnset = 0xFFFFFFFFu;
constexpr std::uint32_t kDropped = 0xFFFFFFFEu;

constexpr bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Calls `emit(run)` for every maximal run of [a-z0-9] in python_lower(text): rouge-score
// replaces the other characters by spaces and splits on whitespace, which leaves exactly these
// runs. Multi-byte UTF-8 sequences never contain ASCII bytes, so a byte scan is exact.
template <class Emit>
void for_each_raw_token(const std::string& lowered, Emit&& emit) {
  std::size_t i = 0;
  const std::size_t n = lowered.size();
  while (i < n) {
    while (i < n && !is_token_char(lowered[i])) ++i;
    const std::size_t start = i;
    while (i < n && is_token_char(lowered[i])) ++i;
    if (i > start) emit(std::string_view(lowered).substr(start, i - start));
  }
}

// rouge-score's final filter `re.match(r"^[a-z0-9]+$", token)`.
bool valid_token(std::string_view token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// The tokenizer with its per-word caches, for one scoring call.
class Tokenizer {
 public:
  // Appends the ids of rouge-score's tokens of `text` to `out` (cleared first).
  void tokenize(std::string_view text, std::vector<std::uint32_t>& out) {
    out.clear();
    for_each_raw_token(splitter_.lower(text), [&](std::string_view raw) {
      const std::uint32_t id = interner_.intern(raw);
      if (id >= final_of_.size()) final_of_.resize(interner_.size(), kUnset);
      if (final_of_[id] == kUnset) {
        const std::uint32_t token = final_id(id, raw);  // may grow final_of_
        final_of_[id] = token;
      }
      if (final_of_[id] != kDropped) out.push_back(final_of_[id]);
    });
  }

  const text::TokenInterner& interner() const { return interner_; }

 private:
  // "Only stem words more than 3 characters long" (tokenize.py); raw tokens are ASCII, so the
  // byte length is Python's len().
  std::uint32_t final_id(std::uint32_t id, std::string_view raw) {
    if (raw.size() <= 3) return id;
    const std::string stem = stemmer_.stem(raw);
    if (!valid_token(stem)) return kDropped;
    const std::uint32_t stem_id = interner_.intern(stem);
    if (stem_id >= final_of_.size()) final_of_.resize(interner_.size(), kUnset);
    return stem_id;
  }

  text::PorterStemmer stemmer_;
  text::TokenInterner interner_;
  std::vector<std::uint32_t> final_of_;  // raw token id -> final token id (kDropped: none)
  text::LowerSplitter splitter_;         // python_lower with an ASCII fast path
};

// Bit-parallel LCS (Allison & Dix 1986; Crochemore et al. 2001): bit i of V is 0 when
// a[0..i] ends a longer common subsequence than a[0..i-1] with the b prefix read so far; per
// symbol of b, V = (V + (V & M)) | (V & ~M) with M the positions of that symbol in a. The LCS
// length is the number of zero bits among the first n.
class BitParallelLcs {
 public:
  std::size_t run(const std::uint32_t* a, std::size_t n, const std::uint32_t* b, std::size_t m) {
    if (n == 0 || m == 0) return 0;
    const std::size_t words = (n + 63) / 64;
    masks_.clear();
    symbols_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t s = a[i];
      if (s >= slot_.size()) slot_.resize(static_cast<std::size_t>(s) + 1, kUnset);
      if (slot_[s] == kUnset) {
        slot_[s] = static_cast<std::uint32_t>(symbols_.size());
        symbols_.push_back(s);
        masks_.resize(masks_.size() + words, 0);
      }
      masks_[slot_[s] * words + i / 64] |= std::uint64_t{1} << (i % 64);
    }
    v_.assign(words, ~std::uint64_t{0});
    for (std::size_t j = 0; j < m; ++j) {
      const std::uint32_t s = b[j];
      if (s >= slot_.size() || slot_[s] == kUnset) continue;  // M = 0 leaves V unchanged
      const std::uint64_t* mask = &masks_[slot_[s] * words];
      std::uint64_t carry = 0;
      for (std::size_t w = 0; w < words; ++w) {
        const std::uint64_t v = v_[w];
        const std::uint64_t u = v & mask[w];
        const std::uint64_t sum = v + u;
        const std::uint64_t total = sum + carry;
        carry = (sum < v || total < sum) ? 1 : 0;
        v_[w] = total | (v & ~mask[w]);
      }
    }
    std::size_t ones = 0;
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t v = v_[w];
      if (w + 1 == words && n % 64 != 0) v &= (std::uint64_t{1} << (n % 64)) - 1;
      ones += std::bitset<64>(v).count();
    }
    for (const std::uint32_t s : symbols_) slot_[s] = kUnset;
    return n - ones;
  }

 private:
  std::vector<std::uint32_t> slot_;  // symbol -> index into symbols_ (kUnset: absent from a)
  std::vector<std::uint32_t> symbols_;
  std::vector<std::uint64_t> masks_;
  std::vector<std::uint64_t> v_;
};

}  // namespace

std::vector<std::string> rouge_score_tokenize(std::string_view text) {
  Tokenizer tokenizer;
  std::vector<std::uint32_t> ids;
  tokenizer.tokenize(text, ids);
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const auto id : ids) out.emplace_back(tokenizer.interner().str(id));
  return out;
}

std::size_t lcs_length(const std::uint32_t* a, std::size_t n, const std::uint32_t* b,
                       std::size_t m) {
  BitParallelLcs lcs;
  return lcs.run(a, n, b, m);
}

double rouge_lcs_fmeasure(std::size_t lcs, std::size_t target_length,
                          std::size_t prediction_length) {
  if (target_length == 0 || prediction_length == 0) return 0.0;
  const double precision = static_cast<double>(lcs) / static_cast<double>(prediction_length);
  const double recall = static_cast<double>(lcs) / static_cast<double>(target_length);
  // scoring.fmeasure: 2 * precision * recall / (precision + recall), evaluated left to right.
  if (precision + recall > 0) return 2 * precision * recall / (precision + recall);
  return 0.0;
}

std::vector<std::string> RougeScoreScorer::names() const {
  return {"ROUGE-L"};
}

Signature RougeScoreScorer::signature() {
  Signature signature("ROUGE-L");
  signature.set("conv", "rouge-score-0.1.2")
      .set("tok", "rouge-score")
      .set("stem", "porter-nltk")
      .set("nrefs", "1");
  return signature;
}

double RougeScoreScorer::score_pair(std::string_view reference, std::string_view hypothesis) const {
  TextCorpus corpus;
  corpus.hypotheses.emplace_back(hypothesis);
  corpus.references.push_back({std::string(reference)});
  return score(corpus).per_sample[0][0];
}

MetricScores RougeScoreScorer::score(const TextCorpus& corpus) const {
  MetricScores scores;
  scores.names = names();
  scores.signatures = {signature()};
  scores.per_sample.assign(1, {});
  std::vector<double>& values = scores.per_sample[0];
  values.reserve(corpus.size());

  Tokenizer tokenizer;
  BitParallelLcs lcs;
  std::vector<std::uint32_t> target, prediction;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const auto& refs = corpus.references[i];
    tokenizer.tokenize(refs.empty() ? std::string_view() : std::string_view(refs.front()), target);
    tokenizer.tokenize(corpus.hypotheses[i], prediction);
    const std::size_t common =
        lcs.run(target.data(), target.size(), prediction.data(), prediction.size());
    values.push_back(rouge_lcs_fmeasure(common, target.size(), prediction.size()));
  }
  // np.mean of the per-sample values (an empty corpus scores 0, see scorer.h).
  scores.corpus = {values.empty() ? 0.0 : numpy_mean(values)};
  return scores;
}

}  // namespace rrg::metrics
