// Token interning and chunked corpus tokenization (see token_ids.h).
#include "rrg/metrics/token_ids.h"

#include <cstring>

#include "rrg/text/python_str.h"

namespace rrg::metrics {
namespace {

// A fast 64-bit string hash (8 bytes per step, multiply-xorshift mixing). Tokens are short, so
// speed matters more than anything; equal tokens are confirmed by comparing bytes.
std::uint64_t hash_token(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xFF51AFD7ED558CCDull);
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94D049BB133111EBull;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

}  // namespace

TokenVocabulary::TokenVocabulary() : slots_(1024, Slot{0, 0}), offsets_{0} {}

std::string_view TokenVocabulary::token(TokenId id) const {
  return std::string_view(bytes_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
}

TokenId TokenVocabulary::intern(std::string_view token) {
  const std::uint64_t h = hash_token(token);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot slot = slots_[i];
    if (slot.id_plus1 == 0) {
      const auto id = static_cast<TokenId>(size());
      bytes_.append(token);
      offsets_.push_back(bytes_.size());
      hashes_.push_back(h);
      slots_[i] = Slot{tag, id + 1};
      if (size() * 2 > slots_.size()) grow();
      return id;
    }
    if (slot.tag == tag && this->token(slot.id_plus1 - 1) == token) return slot.id_plus1 - 1;
  }
}

void TokenVocabulary::grow() {
  std::vector<Slot> bigger(slots_.size() * 2, Slot{0, 0});
  const std::size_t mask = bigger.size() - 1;
  for (TokenId id = 0; id < size(); ++id) {
    std::size_t i = hashes_[id] & mask;
    while (bigger[i].id_plus1 != 0) i = (i + 1) & mask;
    bigger[i] = Slot{static_cast<std::uint32_t>(hashes_[id] >> 32), id + 1};
  }
  slots_.swap(bigger);
}

void CorpusTokenizer::add_text(std::string_view text, TokenChunk& chunk) {
  switch (tokenizer_) {
    case Tokenizer::kPythonSplit:
      text::python_split(text, scratch_);
      for (std::string_view token : scratch_) chunk.ids_.push_back(vocabulary_.intern(token));
      break;
    case Tokenizer::kLowerPythonSplit:
      lowered_ = text::python_lower(text);
      text::python_split(lowered_, scratch_);
      for (std::string_view token : scratch_) chunk.ids_.push_back(vocabulary_.intern(token));
      break;
    case Tokenizer::kSplitOnSpace: {
      // str.split(" ") yields n + 1 tokens for n spaces, empty ones included ("" -> [""]).
      std::size_t start = 0;
      while (true) {
        const std::size_t space = text.find(' ', start);
        const std::size_t end = space == std::string_view::npos ? text.size() : space;
        chunk.ids_.push_back(vocabulary_.intern(text.substr(start, end - start)));
        if (space == std::string_view::npos) break;
        start = space + 1;
      }
      break;
    }
  }
  chunk.text_begin_.push_back(chunk.ids_.size());
}

void CorpusTokenizer::tokenize(const TextCorpus& corpus, std::size_t first, std::size_t last,
                               TokenChunk& chunk) {
  chunk.ids_.clear();
  chunk.text_begin_.assign(1, 0);
  chunk.sample_text_.assign(1, 0);
  for (std::size_t i = first; i < last; ++i) {
    add_text(corpus.hypotheses[i], chunk);
    for (const std::string& reference : corpus.references[i]) add_text(reference, chunk);
    chunk.sample_text_.push_back(chunk.text_begin_.size() - 1);
  }
}

std::string reference_count_label(const TextCorpus& corpus) {
  if (corpus.references.empty()) return "0";
  const std::size_t n = corpus.references.front().size();
  for (const auto& references : corpus.references) {
    if (references.size() != n) return "var";
  }
  return std::to_string(n);
}

}  // namespace rrg::metrics
