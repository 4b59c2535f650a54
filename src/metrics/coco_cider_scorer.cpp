// pycocoevalcap CIDEr-D (see coco_cider_scorer.h).
//
// Two passes over the corpus. Pass 1 gives every reference n-gram an exact integer id and counts
// document frequencies. Pass 2 builds, per sample, the hypothesis vectors and each reference's
// vectors and accumulates the similarity in exactly the order cider_scorer.py does: n-grams of
// one order in order of first occurrence in the text (Python dict insertion order), references in
// input order. Texts are re-tokenized in pass 2 rather than kept, to bound memory.
//
// Last-bit note: the idf weights use the C library's log(), which is what np.log calls on
// machines without AVX-512 (this one included). A line-by-line Python restatement of
// cider_scorer.py run with Debian's NumPy reproduces this scorer bit for bit on every shared
// parity case; the shared expected.json values were produced elsewhere and differ from both by
// up to ~20 ulp (<= 7e-16 absolute) because that machine's log rounds some arguments (e.g.
// log 3, log 10) to the other neighbouring double. Such platform differences are far below the
// 1e-9 acceptance tolerance and cannot be reproduced portably.
#include "rrg/metrics/coco_cider_scorer.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "rrg/metrics/python_math.h"
#include "rrg/metrics/token_ids.h"

namespace rrg::metrics {
namespace {

constexpr std::size_t kOrders = 4;        // CiderScorer(n=4)
constexpr double kSigma = 6.0;            // CiderScorer(sigma=6.0)
constexpr double kE = 2.718281828459045;  // np.e
constexpr std::uint32_t kNone = 0xFFFFFFFFu;

inline std::uint64_t mix(std::uint64_t key) {
  key *= 0x9E3779B97F4A7C15ull;
  return key ^ (key >> 29);
}

// Exact n-gram ids. Order-1 ids are token ids; an n-gram of order k >= 2 is the pair (id of its
// first k-1 tokens, last token id), which an open-addressing table maps to a dense id of order k.
class NgramIds {
 public:
  std::uint32_t get_or_add(std::size_t order, std::uint32_t prefix, TokenId token) {
    Table& table = tables_[order - 2];
    if ((table.used + 1) * 2 > table.slots.size()) grow(table);
    const std::uint64_t key = (static_cast<std::uint64_t>(prefix) << 32) | token;
    const std::size_t mask = table.slots.size() - 1;
    for (std::size_t s = mix(key) & mask;; s = (s + 1) & mask) {
      Slot& slot = table.slots[s];
      if (slot.value == kNone) {
        slot.key = key;
        slot.value = static_cast<std::uint32_t>(table.used++);
        return slot.value;
      }
      if (slot.key == key) return slot.value;
    }
  }
  std::size_t count(std::size_t order) const { return tables_[order - 2].used; }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t value = kNone;
  };
  struct Table {
    std::vector<Slot> slots = std::vector<Slot>(1024);
    std::size_t used = 0;
  };
  static void grow(Table& table) {
    std::vector<Slot> bigger(table.slots.size() * 2);
    const std::size_t mask = bigger.size() - 1;
    for (const Slot& slot : table.slots) {
      if (slot.value == kNone) continue;
      std::size_t s = mix(slot.key) & mask;
      while (bigger[s].value != kNone) s = (s + 1) & mask;
      bigger[s] = slot;
    }
    table.slots.swap(bigger);
  }
  std::array<Table, kOrders - 1> tables_;
};

// The n-gram ids of one text, per order: ids[order - 1][i] is the n-gram starting at token i.
struct TextNgrams {
  std::array<std::vector<std::uint32_t>, kOrders> ids;

  void compute(TokenSpan text, NgramIds& table) {
    ids[0].assign(text.begin(), text.end());
    for (std::size_t order = 2; order <= kOrders; ++order) {
      const std::vector<std::uint32_t>& prev = ids[order - 2];
      std::vector<std::uint32_t>& cur = ids[order - 1];
      cur.clear();
      if (text.size < order) continue;
      for (std::size_t i = 0; i + order <= text.size; ++i) {
        cur.push_back(table.get_or_add(order, prev[i], text[i + order - 1]));
      }
    }
  }
};

// The distinct n-grams of one order of one text, in order of first occurrence, with their
// tf-idf values; also answers "value of n-gram id" lookups.
class NgramVector {
 public:
  void build(const std::vector<std::uint32_t>& ids, const std::vector<std::uint32_t>& df,
             const std::vector<double>& idf) {
    std::size_t table_size = 16;
    while (table_size < 2 * ids.size()) table_size *= 2;
    slots_.assign(table_size, -1);
    entries_.clear();
    const std::size_t mask = table_size - 1;
    for (std::uint32_t id : ids) {
      std::size_t s = mix(id) & mask;
      while (true) {
        const std::int32_t e = slots_[s];
        if (e < 0) {
          slots_[s] = static_cast<std::int32_t>(entries_.size());
          entries_.push_back(Entry{id, 1, 0.0});
          break;
        }
        if (entries_[e].id == id) {
          ++entries_[e].tf;
          break;
        }
        s = (s + 1) & mask;
      }
    }
    // counts2vec: vec = float(term_freq) * (ref_len - log(max(1, df))); norm += vec ** 2.
    norm_squared_ = 0.0;
    for (Entry& entry : entries_) {
      const std::uint32_t frequency = entry.id < df.size() ? df[entry.id] : 0;
      entry.value = static_cast<double>(entry.tf) * idf[frequency];
      norm_squared_ += python_pow(entry.value, 2.0);
    }
    norm_ = std::sqrt(norm_squared_);
  }

  // The value of n-gram `id`, or a negative number when the text does not contain it.
  double value(std::uint32_t id) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = mix(id) & mask;; s = (s + 1) & mask) {
      const std::int32_t e = slots_[s];
      if (e < 0) return -1.0;
      if (entries_[e].id == id) return entries_[e].value;
    }
  }

  struct Entry {
    std::uint32_t id;
    std::uint32_t tf;
    double value;
  };
  const std::vector<Entry>& entries() const { return entries_; }
  double norm() const { return norm_; }

 private:
  std::vector<std::int32_t> slots_;
  std::vector<Entry> entries_;
  double norm_squared_ = 0.0;
  double norm_ = 0.0;
};

}  // namespace

std::vector<std::string> CocoCiderScorer::names() const {
  return {"CIDEr"};
}

MetricScores CocoCiderScorer::score(const TextCorpus& corpus) const {
  MetricScores out;
  out.names = names();
  out.corpus.assign(1, 0.0);
  out.per_sample.assign(1, std::vector<double>(corpus.size()));
  Signature signature(out.names[0]);
  signature.set("conv", "pycocoevalcap-1.2")
      .set("tok", "split")
      .set("clean", "")  // filled in by the pipeline that cleaned the texts
      .set("variant", "cider-d")
      .set("n", "4")
      .set("sigma", "6")
      .set("df", "corpus-refs")
      .set("nrefs", reference_count_label(corpus));
  out.signatures.push_back(signature);
  const std::size_t n_samples = corpus.size();
  if (n_samples == 0) return out;

  CorpusTokenizer tokenizer(Tokenizer::kPythonSplit);
  TokenChunk chunk;
  NgramIds ngram_ids;
  TextNgrams ngrams;

  // Pass 1: document frequency = number of samples whose references contain the n-gram.
  std::array<std::vector<std::uint32_t>, kOrders> df, last_sample;
  for (std::size_t first = 0; first < n_samples; first += kChunkSamples) {
    const std::size_t last = std::min(n_samples, first + kChunkSamples);
    tokenizer.tokenize(corpus, first, last, chunk);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const auto sample_mark = static_cast<std::uint32_t>(first + i + 1);
      for (std::size_t r = 0; r < chunk.reference_count(i); ++r) {
        ngrams.compute(chunk.reference(i, r), ngram_ids);
        for (std::size_t k = 0; k < kOrders; ++k) {
          for (std::uint32_t id : ngrams.ids[k]) {
            if (id >= df[k].size()) {
              const std::size_t size = std::max<std::size_t>(id + 1, df[k].size() * 2);
              df[k].resize(size, 0);
              last_sample[k].resize(size, 0);
            }
            if (last_sample[k][id] != sample_mark) {
              last_sample[k][id] = sample_mark;
              ++df[k][id];
            }
          }
        }
      }
    }
  }
  for (auto& marks : last_sample) std::vector<std::uint32_t>().swap(marks);

  // idf[d] = ref_len - np.log(max(1.0, d)) for every possible document frequency d.
  const double ref_len = std::log(static_cast<double>(n_samples));
  std::vector<double> idf(n_samples + 1);
  for (std::size_t d = 0; d <= n_samples; ++d) {
    idf[d] = ref_len - std::log(std::max(1.0, static_cast<double>(d)));
  }
  const double two_sigma_squared = 2.0 * python_pow(kSigma, 2.0);

  // Pass 2: scores.
  std::array<NgramVector, kOrders> hyp_vectors, ref_vectors;
  std::vector<double>& scores = out.per_sample[0];
  for (std::size_t first = 0; first < n_samples; first += kChunkSamples) {
    const std::size_t last = std::min(n_samples, first + kChunkSamples);
    tokenizer.tokenize(corpus, first, last, chunk);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const TokenSpan hyp = chunk.hypothesis(i);
      ngrams.compute(hyp, ngram_ids);
      for (std::size_t k = 0; k < kOrders; ++k) hyp_vectors[k].build(ngrams.ids[k], df[k], idf);
      const double hyp_length = static_cast<double>(ngrams.ids[1].size());  // bigram count

      const std::size_t n_refs = chunk.reference_count(i);
      double score[kOrders] = {0.0, 0.0, 0.0, 0.0};
      for (std::size_t r = 0; r < n_refs; ++r) {
        ngrams.compute(chunk.reference(i, r), ngram_ids);
        for (std::size_t k = 0; k < kOrders; ++k) ref_vectors[k].build(ngrams.ids[k], df[k], idf);
        const double delta = hyp_length - static_cast<double>(ngrams.ids[1].size());
        const double penalty = python_pow(kE, -python_pow(delta, 2.0) / two_sigma_squared);
        for (std::size_t k = 0; k < kOrders; ++k) {
          double val = 0.0;
          for (const auto& entry : hyp_vectors[k].entries()) {
            const double ref_value = ref_vectors[k].value(entry.id);
            // An n-gram missing from the reference adds min(h, 0) * 0 = 0.0: skipping it is exact.
            if (ref_value >= 0.0) val += std::min(entry.value, ref_value) * ref_value;
          }
          const double norm_hyp = hyp_vectors[k].norm(), norm_ref = ref_vectors[k].norm();
          if (norm_hyp != 0.0 && norm_ref != 0.0) val /= (norm_hyp * norm_ref);
          val *= penalty;
          score[k] += val;
        }
      }
      double sample = numpy_mean(score, kOrders);
      sample /= static_cast<double>(n_refs);
      sample *= 10.0;
      scores[first + i] = sample;
    }
  }
  out.corpus[0] = numpy_mean(scores);
  return out;
}

}  // namespace rrg::metrics
