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

// Python's str.isspace() for the ASCII range (the fast path below handles ASCII-only texts).
constexpr bool ascii_space(unsigned char c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
}

}  // namespace

// Byte equality for short strings without a library call (tokens are a few bytes long).
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; n > 0; ++a, ++b, --n) {
    if (*a != *b) return false;
  }
  return true;
}

TokenVocabulary::TokenVocabulary() : slots_(1024), offsets_{0} {}

std::string_view TokenVocabulary::token(TokenId id) const {
  return std::string_view(bytes_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
}

TokenId TokenVocabulary::intern(std::string_view token) {
  const std::uint64_t h = hash_token(token);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id_plus1 == 0) {
      const auto id = static_cast<TokenId>(size());
      bytes_.append(token);
      offsets_.push_back(bytes_.size());
      slots_[i] = Slot{h, id + 1, static_cast<std::uint32_t>(token.size())};
      if (size() * 2 > slots_.size()) grow();
      return id;
    }
    if (slot.hash == h && slot.length == token.size() &&
        same_bytes(bytes_.data() + offsets_[slot.id_plus1 - 1], token.data(), token.size())) {
      return slot.id_plus1 - 1;
    }
  }
}

void TokenVocabulary::grow() {
  std::vector<Slot> bigger(slots_.size() * 2);
  const std::size_t mask = bigger.size() - 1;
  for (const Slot& slot : slots_) {
    if (slot.id_plus1 == 0) continue;
    std::size_t i = slot.hash & mask;
    while (bigger[i].id_plus1 != 0) i = (i + 1) & mask;
    bigger[i] = slot;
  }
  slots_.swap(bigger);
}

bool CorpusTokenizer::add_ascii_text(std::string_view text, bool lower, TokenChunk& chunk) {
  const std::size_t first_id = chunk.ids_.size();
  const std::size_t n = text.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (true) {
    while (i < n && ascii_space(bytes[i])) ++i;
    if (i == n) return true;
    const std::size_t start = i;
    bool upper = false;
    while (i < n && !ascii_space(bytes[i])) {
      if (bytes[i] >= 0x80) {  // not ASCII after all: undo, the caller takes the Unicode path
        chunk.ids_.resize(first_id);
        return false;
      }
      upper |= bytes[i] >= 'A' && bytes[i] <= 'Z';
      ++i;
    }
    std::string_view token = text.substr(start, i - start);
    if (lower && upper) {
      lowered_.assign(token);
      for (char& c : lowered_) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      token = lowered_;
    }
    chunk.ids_.push_back(vocabulary_.intern(token));
  }
}

void CorpusTokenizer::add_text(std::string_view text, TokenChunk& chunk) {
  // Most report text is ASCII: split (and lower-case) it in one pass without the Unicode tables.
  if (tokenizer_ != Tokenizer::kSplitOnSpace &&
      add_ascii_text(text, tokenizer_ == Tokenizer::kLowerPythonSplit, chunk)) {
    chunk.text_begin_.push_back(chunk.ids_.size());
    return;
  }
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
