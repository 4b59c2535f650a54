// pycocoevalcap CIDEr-D (see coco_cider_scorer.h).
//
// Two passes over the corpus. Pass 1 (the shared sample loop, rrg/metrics/lexical/sample_loop.h)
// gives every n-gram an exact integer id and counts document frequencies. Pass 2 builds, per
// sample, the hypothesis vectors and each reference's vectors and accumulates the similarity in
// exactly the order cider_scorer.py does: n-grams of one order in order of first occurrence in
// the text (Python dict insertion order), references in input order. The n-gram ids of chunks
// are kept between the passes up to a fixed budget; beyond it, texts are tokenized again in
// pass 2, so memory stays bounded on huge corpora.
//
// Threads: each lane of the loop numbers tokens and n-grams on its own and counts the document
// frequencies of its samples. Between the passes every lane's n-grams are mapped to one global
// numbering (token strings, then (prefix, token) pairs, order by order), the lanes' counts are
// added there, and each lane gets the exact corpus-wide frequency of each of its own ids. Pass 2
// then runs per lane on the chunks that lane tokenized, so the values are those of one thread
// bit for bit: document frequencies are exact integers and every floating-point sum keeps the
// order of one text's n-grams.
//
// Last-bit note: the idf weights use the C library's log(), which is what np.log calls on
// machines without AVX-512 (this one included). A line-by-line Python restatement of
// cider_scorer.py run with Debian's NumPy reproduces this scorer bit for bit on every shared
// parity case; the shared expected.json values were produced elsewhere and differ from both by
// up to 23 ulp (<= 7e-16 absolute) because that machine's log rounds some arguments (e.g.
// log 3, log 10) to the other neighbouring double. Such platform differences are far below the
// 1e-9 acceptance tolerance and cannot be reproduced portably.
#include "rrg/metrics/lexical/coco_cider_scorer.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <utility>

#include "rrg/core/parallel.h"
#include "rrg/metrics/lexical/sample_loop.h"

#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/python_math.h"

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
  // The (prefix id, last token id) key of every n-gram id of `order`, by id.
  std::vector<std::uint64_t> keys(std::size_t order) const {
    const Table& table = tables_[order - 2];
    std::vector<std::uint64_t> out(table.used);
    for (const Slot& slot : table.slots) {
      if (slot.value != kNone) out[slot.value] = slot.key;
    }
    return out;
  }

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

// The n-gram ids of every text of a chunk of samples (hypothesis first, then its references),
// per order: ids(t, order) lists the n-grams of text t in position order.
class ChunkNgrams {
 public:
  void compute(const TokenChunk& chunk, NgramIds& table) {
    // A text of L tokens has at most L n-grams of each order: room for all of them at once, so
    // that the ids kept for the second pass are written once, not copied as the vector grows.
    ids_.clear();
    ids_.reserve(kOrders * chunk.token_count());
    begin_.clear();
    begin_.reserve(1 + kOrders * chunk.text_count());
    begin_.push_back(0);
    sample_text_.clear();
    sample_text_.reserve(1 + chunk.size());
    sample_text_.push_back(0);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      add_text(chunk.hypothesis(i), table);
      for (std::size_t r = 0; r < chunk.reference_count(i); ++r) {
        add_text(chunk.reference(i, r), table);
      }
      sample_text_.push_back((begin_.size() - 1) / kOrders);
    }
  }

  std::size_t size() const { return sample_text_.size() - 1; }
  std::size_t reference_count(std::size_t i) const {
    return sample_text_[i + 1] - sample_text_[i] - 1;
  }
  // Text 0 of a sample is its hypothesis, text r + 1 its reference r.
  TokenSpan ids(std::size_t sample, std::size_t text, std::size_t order) const {
    const std::size_t slot = (sample_text_[sample] + text) * kOrders + (order - 1);
    return {ids_.data() + begin_[slot], begin_[slot + 1] - begin_[slot]};
  }
  std::size_t id_count() const { return ids_.size(); }

 private:
  void add_text(TokenSpan text, NgramIds& table) {
    const std::size_t unigrams = ids_.size();
    ids_.insert(ids_.end(), text.begin(), text.end());
    begin_.push_back(ids_.size());
    std::size_t previous = unigrams;  // first id of the previous order
    for (std::size_t order = 2; order <= kOrders; ++order) {
      const std::size_t current = ids_.size();
      for (std::size_t i = 0; i + order <= text.size; ++i) {
        ids_.push_back(table.get_or_add(order, ids_[previous + i], text[i + order - 1]));
      }
      begin_.push_back(ids_.size());
      previous = current;
    }
  }

  std::vector<std::uint32_t> ids_;
  std::vector<std::size_t> begin_;        // (text * kOrders + order - 1) -> offset; one extra
  std::vector<std::size_t> sample_text_;  // sample -> index of its first text; one extra
};

// The distinct n-grams of one order of one text, in order of first occurrence, with their
// tf-idf values; also answers "value of n-gram id" lookups.
class NgramVector {
 public:
  // idf[d]: the weight of an n-gram with document frequency d; idf_squared[d] = idf[d] ** 2.
  void build(TokenSpan ids, const std::vector<std::uint32_t>& df, const std::vector<double>& idf,
             const std::vector<double>& idf_squared) {
    std::size_t table_size = 16;
    while (table_size < 2 * ids.size) table_size *= 2;
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
      // float(1) * w == w, so the square of a once-occurring n-gram is precomputed per df.
      norm_squared_ += entry.tf == 1 ? idf_squared[frequency] : python_square(entry.value);
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

std::vector<KeyInfo> CocoCiderScorer::keys() const {
  return {{"CIDEr"}};
}

void CocoCiderScorer::sign(std::size_t, ScoringInputs& inputs, Signature& signature) const {
  signature.set("conv", "pycocoevalcap-1.2")
      .set("tok", "split")
      .set("variant", "cider-d")
      .set("n", "4")
      .set("sigma", "6")
      .set("df", "corpus-refs");
  sign_text_inputs(inputs, TextConvention::kCoco, false, signature);
}

namespace {

// Pass 1 in the sample loop, pass 2 in finish().
class CiderConsumer final : public LoopConsumer {
 public:
  CiderConsumer(std::size_t n_samples, std::size_t lanes, std::size_t kept_id_budget)
      : n_samples_(n_samples), budget_(kept_id_budget), lanes_(lanes) {}

  // Pass 1: n-gram ids of every text, and document frequency = number of samples whose
  // references contain the n-gram (counted per lane). The n-gram ids of a chunk are kept for
  // pass 2 while they fit in the budget; other chunks are tokenized again (bounded memory).
  void consume(const LoopChunk& chunk) override {
    Lane& lane = lanes_[chunk.lane];
    lane.scratch.compute(*chunk.tokens, lane.ngram_ids);
    const ChunkNgrams& ngrams = lane.scratch;
    for (std::size_t i = 0; i < ngrams.size(); ++i) {
      const auto sample_mark = static_cast<std::uint32_t>(chunk.first + i + 1);
      for (std::size_t r = 0; r < ngrams.reference_count(i); ++r) {
        for (std::size_t k = 0; k < kOrders; ++k) {
          auto& df = lane.df[k];
          auto& last_sample = lane.last_sample[k];
          for (std::uint32_t id : ngrams.ids(i, r + 1, k + 1)) {
            if (id >= df.size()) {
              const std::size_t size = std::max<std::size_t>(id + 1, df.size() * 2);
              df.resize(size, 0);
              last_sample.resize(size, 0);
            }
            if (last_sample[id] != sample_mark) {
              last_sample[id] = sample_mark;
              ++df[id];
            }
          }
        }
      }
    }
    if (reserve_budget(ngrams.id_count())) {
      lane.kept_chunks.push_back(chunk.index);
      lane.kept.push_back(std::move(lane.scratch));
      lane.scratch = ChunkNgrams();
    }
  }

  SampleStatistics finish(SampleLoop& loop) override {
    SampleStatistics out(n_samples_, 1);
    if (n_samples_ == 0) return out;
    for (Lane& lane : lanes_) {
      for (auto& marks : lane.last_sample) std::vector<std::uint32_t>().swap(marks);
    }
    if (lanes_.size() > 1) merge_document_frequencies(loop);

    // idf[d] = ref_len - np.log(max(1.0, d)) for every possible document frequency d.
    const double ref_len = std::log(static_cast<double>(n_samples_));
    std::vector<double> idf(n_samples_ + 1), idf_squared(n_samples_ + 1);
    for (std::size_t d = 0; d <= n_samples_; ++d) {
      idf[d] = ref_len - std::log(std::max(1.0, static_cast<double>(d)));
      idf_squared[d] = python_square(idf[d]);
    }

    // Pass 2, each lane on the chunks it tokenized in pass 1 (its ids are its own).
    parallel_for(lanes_.size(), lanes_.size(), [&](std::size_t l, std::size_t) {
      Lane& lane = lanes_[l];
      std::size_t next_kept = 0;
      TokenChunk tokens;
      std::array<NgramVector, kOrders> hyp_vectors, ref_vectors;
      for (std::size_t c = 0; c < loop.chunks(); ++c) {
        if (loop.owner(c) != l) continue;
        const ChunkNgrams* ngrams = &lane.scratch;
        if (next_kept < lane.kept_chunks.size() && lane.kept_chunks[next_kept] == c) {
          ngrams = &lane.kept[next_kept++];
        } else {
          loop.tokenize(l, c, tokens);
          lane.scratch.compute(tokens, lane.ngram_ids);
        }
        score_chunk(*ngrams, lane.df, idf, idf_squared, hyp_vectors, ref_vectors,
                    out.row(loop.chunk_first(c)));
      }
    });
    return out;
  }

 private:
  struct Lane {
    NgramIds ngram_ids;
    std::array<std::vector<std::uint32_t>, kOrders> df, last_sample;  // by the lane's n-gram id
    ChunkNgrams scratch;
    std::vector<std::size_t> kept_chunks;  // chunks whose n-gram ids are kept, in order
    std::vector<ChunkNgrams> kept;
  };

  bool reserve_budget(std::size_t ids) {
    std::size_t current = kept_ids_.load(std::memory_order_relaxed);
    while (current + ids <= budget_) {
      if (kept_ids_.compare_exchange_weak(current, current + ids)) return true;
    }
    return false;
  }

  // Replaces every lane's document frequencies (of the lane's own samples) by the corpus-wide
  // ones of the same n-grams: lane ids are mapped to a global numbering by their token strings
  // and, order by order, by their (prefix, last token) pairs.
  void merge_document_frequencies(SampleLoop& loop) {
    TokenVocabulary tokens;
    NgramIds ngrams;
    std::array<std::vector<std::uint32_t>, kOrders> global_df;
    std::vector<std::array<std::vector<std::uint32_t>, kOrders>> maps(lanes_.size());
    for (std::size_t l = 0; l < lanes_.size(); ++l) {
      Lane& lane = lanes_[l];
      auto& map = maps[l];
      const TokenVocabulary& vocabulary = loop.vocabulary(l);
      map[0].resize(vocabulary.size());
      for (TokenId id = 0; id < vocabulary.size(); ++id) {
        map[0][id] = tokens.intern(vocabulary.token(id));
      }
      for (std::size_t order = 2; order <= kOrders; ++order) {
        const std::vector<std::uint64_t> keys = lane.ngram_ids.keys(order);
        auto& current = map[order - 1];
        const auto& prefixes = map[order - 2];
        current.resize(keys.size());
        for (std::size_t id = 0; id < keys.size(); ++id) {
          const auto prefix = static_cast<std::uint32_t>(keys[id] >> 32);
          const auto token = static_cast<TokenId>(keys[id] & 0xFFFFFFFFu);
          current[id] = ngrams.get_or_add(order, prefixes[prefix], map[0][token]);
        }
      }
      for (std::size_t k = 0; k < kOrders; ++k) {
        const auto& df = lane.df[k];
        for (std::size_t id = 0; id < df.size(); ++id) {
          if (df[id] == 0) continue;
          const std::uint32_t global = map[k][id];
          if (global >= global_df[k].size()) {
            global_df[k].resize(std::max<std::size_t>(global + 1, global_df[k].size() * 2), 0);
          }
          global_df[k][global] += df[id];
        }
      }
    }
    for (std::size_t l = 0; l < lanes_.size(); ++l) {
      for (std::size_t k = 0; k < kOrders; ++k) {
        const auto& map = maps[l][k];
        std::vector<std::uint32_t> df(map.size());
        for (std::size_t id = 0; id < map.size(); ++id) {
          df[id] = map[id] < global_df[k].size() ? global_df[k][map[id]] : 0;
        }
        lanes_[l].df[k].swap(df);
        std::vector<std::uint32_t>().swap(maps[l][k]);
      }
    }
  }

  // The CIDEr-D of every sample of one chunk, into rows[0..] (one number per sample).
  static void score_chunk(const ChunkNgrams& ngrams,
                          const std::array<std::vector<std::uint32_t>, kOrders>& df,
                          const std::vector<double>& idf, const std::vector<double>& idf_squared,
                          std::array<NgramVector, kOrders>& hyp_vectors,
                          std::array<NgramVector, kOrders>& ref_vectors, double* rows) {
    const double two_sigma_squared = 2.0 * python_pow(kSigma, 2.0);
    for (std::size_t i = 0; i < ngrams.size(); ++i) {
      for (std::size_t k = 0; k < kOrders; ++k) {
        hyp_vectors[k].build(ngrams.ids(i, 0, k + 1), df[k], idf, idf_squared);
      }
      const double hyp_length = static_cast<double>(ngrams.ids(i, 0, 2).size);  // bigrams

      const std::size_t n_refs = ngrams.reference_count(i);
      double score[kOrders] = {0.0, 0.0, 0.0, 0.0};
      for (std::size_t r = 0; r < n_refs; ++r) {
        for (std::size_t k = 0; k < kOrders; ++k) {
          ref_vectors[k].build(ngrams.ids(i, r + 1, k + 1), df[k], idf, idf_squared);
        }
        const double delta = hyp_length - static_cast<double>(ngrams.ids(i, r + 1, 2).size);
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
      // Samples without references cannot occur in pycocoevalcap (it asserts); score them 0.
      double sample = 0.0;
      if (n_refs > 0) {
        sample = numpy_mean(score, kOrders);
        sample /= static_cast<double>(n_refs);
        sample *= 10.0;
      }
      rows[i] = sample;
    }
  }

  std::size_t n_samples_;
  std::size_t budget_;
  std::vector<Lane> lanes_;
  std::atomic<std::size_t> kept_ids_{0};
};

}  // namespace

SampleStatistics CocoCiderScorer::statistics(ScoringInputs& inputs) const {
  return loop_statistics(*this, inputs);
}

std::unique_ptr<LoopConsumer> CocoCiderScorer::make_consumer(const TextCorpus& corpus,
                                                             std::size_t lanes) const {
  return std::make_unique<CiderConsumer>(corpus.size(), lanes, kept_id_budget_);
}

}  // namespace rrg::metrics
