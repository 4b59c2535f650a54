// Token interning and chunked corpus tokenization (see token_ids.h).
#include "rrg/metrics/lexical/token_ids.h"

#include <array>
#include <cstring>

#include "rrg/text/python_str.h"

// The packed-token fast path reads bytes into 64-bit words and keeps the first ones with a mask.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "rrg assumes a little-endian target");

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
  if (token.size() <= 8) {
    std::uint64_t packed = 0;
    std::memcpy(&packed, token.data(), token.size());
    return intern_packed(packed, token.size());
  }
  const std::uint64_t h = hash_token(token);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = mix(h) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id_plus1 == 0) return add(i, h, token.size(), token.data());
    if (slot.key == h && slot.length == token.size() &&
        same_bytes(bytes_.data() + offsets_[slot.id_plus1 - 1], token.data(), token.size())) {
      return slot.id_plus1 - 1;
    }
  }
}

TokenId TokenVocabulary::add(std::size_t slot, std::uint64_t key, std::size_t length,
                             const char* long_bytes) {
  const auto id = static_cast<TokenId>(size());
  if (long_bytes != nullptr) {
    bytes_.append(long_bytes, length);
  } else {
    char packed[8];
    std::memcpy(packed, &key, sizeof packed);
    bytes_.append(packed, length);
  }
  offsets_.push_back(bytes_.size());
  slots_[slot] = Slot{key, id + 1, static_cast<std::uint32_t>(length)};
  if (size() * 2 > slots_.size()) grow();
  return id;
}

void TokenVocabulary::grow() {
  std::vector<Slot> bigger(slots_.size() * 2);
  const std::size_t mask = bigger.size() - 1;
  for (const Slot& slot : slots_) {
    if (slot.id_plus1 == 0) continue;
    // Same slot function as lookups: short tokens hash their packed bytes and length.
    const std::uint64_t h =
        slot.length <= 8 ? slot.key ^ (slot.length * 0x9E3779B97F4A7C15ull) : slot.key;
    std::size_t i = mix(h) & mask;
    while (bigger[i].id_plus1 != 0) i = (i + 1) & mask;
    bigger[i] = slot;
  }
  slots_.swap(bigger);
}

namespace {

// Byte classes of the ASCII fast path: 1 = Python whitespace, 2 = not ASCII, 0 = token byte.
constexpr std::array<std::uint8_t, 256> byte_classes() {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = c >= 0x80 ? 2 : ascii_space(static_cast<unsigned char>(c)) ? 1 : 0;
  }
  return table;
}
constexpr std::array<std::uint8_t, 256> kByteClass = byte_classes();

// ASCII lower-casing of 8 packed bytes at once (all bytes < 0x80): adds 0x20 to 'A'..'Z'.
inline std::uint64_t lower_ascii8(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  const std::uint64_t at_least_a = x + (0x80 - 'A') * kOnes;   // bit 7 set where x >= 'A'
  const std::uint64_t above_z = x + (0x80 - 'Z' - 1) * kOnes;  // bit 7 set where x > 'Z'
  const std::uint64_t upper = at_least_a & ~above_z & 0x8080808080808080ull;
  return x | (upper >> 2);
}

}  // namespace

bool CorpusTokenizer::add_ascii_text(std::string_view text, bool lower, TokenChunk& chunk) {
  const std::size_t first_id = chunk.ids_.size();
  const std::size_t n = text.size();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (true) {
    while (i < n && kByteClass[bytes[i]] == 1) ++i;
    if (i == n) return true;
    const std::size_t start = i;
    std::uint8_t cls;
    while (i < n && (cls = kByteClass[bytes[i]]) != 1) {
      if (cls == 2) {  // not ASCII after all: undo, the caller takes the Unicode path
        chunk.ids_.resize(first_id);
        return false;
      }
      ++i;
    }
    const std::size_t length = i - start;
    if (length <= 8) {
      std::uint64_t packed = 0;
      if (start + 8 <= n) {
        std::memcpy(&packed, bytes + start, 8);
        if (length < 8) packed &= (std::uint64_t{1} << (8 * length)) - 1;  // little-endian
      } else {
        std::memcpy(&packed, bytes + start, length);
      }
      if (lower) packed = lower_ascii8(packed);
      chunk.ids_.push_back(vocabulary_.intern_packed(packed, length));
      continue;
    }
    std::string_view token = text.substr(start, length);
    if (lower) {
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
  if (tokenizer_ == Tokenizer::kNone) {
    chunk.text_begin_.push_back(chunk.ids_.size());
    return;
  }
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
    case Tokenizer::kNone:
      break;
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
