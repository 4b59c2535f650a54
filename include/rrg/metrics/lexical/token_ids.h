// Token interning: the lexical scorers work on integer token ids, not strings.
//
// Every scorer tokenizes the texts of a TextCorpus its own way (its convention's tokenizer),
// interns each token into a TokenVocabulary (equal strings get equal ids) and then compares ids
// only. Samples are tokenized in chunks into a reusable TokenChunk, so memory stays bounded on
// million-sample corpora and the per-sample work stays in cache; the vocabulary persists across
// chunks, so an id means the same token in every chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/metrics/scorer.h"

namespace rrg::metrics {

using TokenId = std::uint32_t;

// The ids of one text (a view into a TokenChunk).
struct TokenSpan {
  const TokenId* data = nullptr;
  std::size_t size = 0;

  const TokenId* begin() const { return data; }
  const TokenId* end() const { return data + size; }
  TokenId operator[](std::size_t i) const { return data[i]; }
};

// Interns token strings to dense ids 0, 1, 2, ... in order of first appearance. The vocabulary
// keeps its own copy of every distinct token.
//
// Tokens of up to 8 bytes (most report words) are keyed by their bytes packed into one 64-bit
// word plus their length, which identifies them exactly with one comparison; longer tokens are
// keyed by a hash, confirmed by comparing bytes.
class TokenVocabulary {
 public:
  TokenVocabulary();

  TokenId intern(std::string_view token);
  // intern() of a token of `length` <= 8 bytes given packed little-endian (unused bytes zero).
  TokenId intern_packed(std::uint64_t packed, std::size_t length) {
    const std::uint64_t h = mix(packed ^ (length * 0x9E3779B97F4A7C15ull));
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.key == packed && slot.length == length && slot.id_plus1 != 0) {
        return slot.id_plus1 - 1;
      }
      if (slot.id_plus1 == 0) return add(i, packed, length, nullptr);
    }
  }
  std::size_t size() const { return offsets_.size() - 1; }
  std::string_view token(TokenId id) const;

 private:
  static std::uint64_t mix(std::uint64_t h) {
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
  }
  TokenId add(std::size_t slot, std::uint64_t key, std::size_t length, const char* long_bytes);
  void grow();

  struct Slot {
    std::uint64_t key = 0;       // packed bytes (length <= 8) or hash (longer tokens)
    std::uint32_t id_plus1 = 0;  // 0 = empty
    std::uint32_t length = 0;
  };
  std::vector<Slot> slots_;
  std::string bytes_;                 // all distinct tokens, back to back
  std::vector<std::size_t> offsets_;  // token i = bytes_[offsets_[i], offsets_[i + 1])
};

// How a convention turns a text into tokens.
enum class Tokenizer {
  kPythonSplit,       // Python str.split(): runs of Unicode whitespace separate tokens
  kSplitOnSpace,      // Python str.split(" "): every single space separates; empty tokens kept
  kLowerPythonSplit,  // Python text.lower().split()
  kNone,              // no tokens: every text is empty (scorers with a tokenizer of their own)
};

// Token ids of the samples [first, first + size()) of a corpus: each sample's hypothesis and
// references.
class TokenChunk {
 public:
  std::size_t size() const { return sample_text_.empty() ? 0 : sample_text_.size() - 1; }
  TokenSpan hypothesis(std::size_t i) const { return text(sample_text_[i]); }
  std::size_t reference_count(std::size_t i) const {
    return sample_text_[i + 1] - sample_text_[i] - 1;
  }
  TokenSpan reference(std::size_t i, std::size_t r) const { return text(sample_text_[i] + 1 + r); }
  // Tokens of every text of the chunk.
  std::size_t token_count() const { return ids_.size(); }
  // Texts of the chunk (hypotheses and references).
  std::size_t text_count() const { return text_begin_.empty() ? 0 : text_begin_.size() - 1; }

 private:
  friend class CorpusTokenizer;
  TokenSpan text(std::size_t t) const {
    return {ids_.data() + text_begin_[t], text_begin_[t + 1] - text_begin_[t]};
  }
  std::vector<TokenId> ids_;
  std::vector<std::size_t> text_begin_;   // text t = ids_[text_begin_[t], text_begin_[t + 1])
  std::vector<std::size_t> sample_text_;  // sample i = texts [sample_text_[i], sample_text_[i+1])
};

class CorpusTokenizer {
 public:
  explicit CorpusTokenizer(Tokenizer tokenizer) : tokenizer_(tokenizer) {}

  // Tokenizes samples [first, last) of `corpus` into `chunk`, replacing its contents.
  void tokenize(const TextCorpus& corpus, std::size_t first, std::size_t last, TokenChunk& chunk);

  const TokenVocabulary& vocabulary() const { return vocabulary_; }

 private:
  void add_text(std::string_view text, TokenChunk& chunk);
  // ASCII fast path; returns false (adding nothing) when the text is not ASCII after all.
  bool add_ascii_text(std::string_view text, bool lower, TokenChunk& chunk);

  Tokenizer tokenizer_;
  TokenVocabulary vocabulary_;
  std::vector<std::string_view> scratch_;
  std::string lowered_;
};

// Samples per chunk: large enough to amortise the loop, small enough to stay in cache.
inline constexpr std::size_t kChunkSamples = 1024;

// Number of references when every sample has the same number, else "var" (for signatures).
std::string reference_count_label(const TextCorpus& corpus);

}  // namespace rrg::metrics
