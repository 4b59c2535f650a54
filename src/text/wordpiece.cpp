// BERT WordPiece tokenisation (see wordpiece.h). The character tables live in
// wordpiece_tables.inc, generated from Python's unicodedata by scripts/gen_wordpiece_tables.py;
// Python's str.lower / str.split come from python_str.h. Reports are mostly ASCII, so ASCII
// characters are classified through a 128-entry copy of the table.
#include "rrg/text/wordpiece.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include "rrg/core/errors.h"
#include "rrg/text/python_str.h"
#include "rrg/text/utf8.h"

namespace rrg::text {
namespace {

struct ClassRange {
  char32_t first;
  char32_t last;
  std::uint8_t value;
};
struct Decomposition {
  char32_t code_point;
  std::uint16_t offset;
  std::uint8_t length;
};

#include "wordpiece_tables.inc"

constexpr std::uint8_t kControl = 1, kWhitespace = 2, kPunctuation = 4, kMark = 8, kCjk = 16;

// HF's special tokens (SPECIAL_TOKENS_ATTRIBUTES of BertTokenizer).
constexpr std::array<std::string_view, 5> kSpecialTokens = {"[UNK]", "[SEP]", "[PAD]", "[CLS]",
                                                            "[MASK]"};
constexpr std::size_t kMaxCharsPerWord = 100;  // WordpieceTokenizer.max_input_chars_per_word

// Hangul syllables decompose arithmetically (Unicode 14.0, section 3.12).
constexpr char32_t kHangulFirst = 0xAC00, kHangulLast = 0xD7A3;

template <std::size_t N>
std::uint8_t range_value(const ClassRange (&table)[N], char32_t cp) {
  const auto it = std::upper_bound(std::begin(table), std::end(table), cp,
                                   [](char32_t c, const ClassRange& r) { return c < r.first; });
  if (it == std::begin(table)) return 0;
  const ClassRange& r = *(it - 1);
  return cp <= r.last ? r.value : 0;
}

std::uint8_t char_class(char32_t cp) {
  static const std::array<std::uint8_t, 128> ascii = [] {
    std::array<std::uint8_t, 128> a{};
    for (char32_t c = 0; c < 128; ++c) a[c] = range_value(kClassRanges, c);
    return a;
  }();
  return cp < 128 ? ascii[cp] : range_value(kClassRanges, cp);
}

std::uint8_t combining_class(char32_t cp) {
  return cp < 0x300 ? 0 : range_value(kCombiningRanges, cp);
}

// Canonical decomposition (NFD) of `in`, appended to `out`.
void nfd(const std::u32string& in, std::u32string& out) {
  const std::size_t start = out.size();
  for (char32_t cp : in) {
    if (cp < 0xC0) {
      out.push_back(cp);
    } else if (cp >= kHangulFirst && cp <= kHangulLast) {
      const char32_t s = cp - kHangulFirst;
      out.push_back(0x1100 + s / 588);
      out.push_back(0x1161 + (s % 588) / 28);
      if (s % 28 != 0) out.push_back(0x11A7 + s % 28);
    } else {
      const auto it =
          std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), cp,
                           [](const Decomposition& d, char32_t c) { return d.code_point < c; });
      if (it != std::end(kDecompositions) && it->code_point == cp) {
        out.append(kDecompositionData + it->offset, it->length);
      } else {
        out.push_back(cp);
      }
    }
  }
  // Canonical ordering: each run of non-starters sorted (stably) by combining class.
  for (std::size_t i = start; i < out.size();) {
    if (combining_class(out[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < out.size() && combining_class(out[j]) != 0) ++j;
    std::stable_sort(
        out.begin() + static_cast<std::ptrdiff_t>(i), out.begin() + static_cast<std::ptrdiff_t>(j),
        [](char32_t a, char32_t b) { return combining_class(a) < combining_class(b); });
    i = j;
  }
}

bool is_special(std::string_view s) {
  return std::find(kSpecialTokens.begin(), kSpecialTokens.end(), s) != kSpecialTokens.end();
}

// Python's str.lower() applied to each character on its own (the regex `(.+?)` of
// PreTrainedTokenizer.tokenize matches one character at a time).
std::string lower_each_char(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    len = std::min(len, text.size() - i);
    if (find_invalid_utf8(text.substr(i, len)) != std::string_view::npos) {
      append_utf8(0xFFFD, out);  // as decode_utf8 would; dropped later like Python's U+FFFD
      ++i;
      continue;
    }
    out += python_lower(text.substr(i, len));
    i += len;
  }
  return out;
}

// BasicTokenizer.tokenize of one piece of text without special tokens, words appended to `out`.
void basic_words(std::string_view text, const WordPieceOptions& options,
                 std::vector<std::string>& out) {
  // _clean_text and _tokenize_chinese_chars.
  std::u32string cleaned;
  for (char32_t cp : decode_utf8(text)) {
    const std::uint8_t cls = char_class(cp);
    if (cp == 0 || cp == 0xFFFD || (cls & kControl)) continue;
    if (cls & kWhitespace) {
      cleaned.push_back(U' ');
    } else if ((cls & kCjk) && options.tokenize_chinese_chars) {
      cleaned.append({U' ', cp, U' '});
    } else {
      cleaned.push_back(cp);
    }
  }
  const std::string cleaned_utf8 = encode_utf8(cleaned);
  std::u32string decomposed;
  for (std::string_view token : python_split(cleaned_utf8)) {
    if (is_special(token)) {  // never_split
      out.emplace_back(token);
      continue;
    }
    // lower(), _run_strip_accents (NFD, drop Mn), _run_split_on_punc.
    const bool strip =
        options.do_lower_case ? options.strip_accents != 0 : options.strip_accents == 1;
    decomposed.clear();
    const std::u32string chars =
        decode_utf8(options.do_lower_case ? python_lower(token) : std::string(token));
    if (strip) {
      nfd(chars, decomposed);
    } else {
      decomposed = chars;
    }
    std::string word;
    const auto flush = [&] {
      // The pieces are re-split on whitespace (whitespace_tokenize of the joined pieces).
      for (std::string_view w : python_split(word)) out.emplace_back(w);
      word.clear();
    };
    for (char32_t cp : decomposed) {
      const std::uint8_t cls = char_class(cp);
      if ((cls & kMark) && strip) continue;
      if (cls & kPunctuation) {
        flush();
        append_utf8(cp, word);
        flush();
      } else {
        append_utf8(cp, word);
      }
    }
    flush();
  }
}

// Splits `text` into special tokens and the pieces between them; lower-cases the pieces.
template <typename OnPiece>
void for_each_piece(std::string_view text, bool lower_case, OnPiece on_piece) {
  const auto lower = [&](std::string_view piece) {
    return lower_case ? lower_each_char(piece) : std::string(piece);
  };
  std::size_t piece_start = 0, i = 0;
  while (i < text.size()) {
    std::string_view found;
    if (text[i] == '[') {
      for (std::string_view special : kSpecialTokens) {
        if (text.compare(i, special.size(), special) == 0) found = special;
      }
    }
    if (found.empty()) {
      ++i;
      continue;
    }
    if (i > piece_start) on_piece(lower(text.substr(piece_start, i - piece_start)), false);
    on_piece(std::string(found), true);
    i += found.size();
    piece_start = i;
  }
  if (piece_start < text.size()) on_piece(lower(text.substr(piece_start)), false);
}

}  // namespace

std::vector<std::string> bert_basic_tokenize(std::string_view text,
                                             const WordPieceOptions& options) {
  std::vector<std::string> words;
  for_each_piece(text, options.do_lower_case, [&](const std::string& piece, bool special) {
    if (special) {
      words.push_back(piece);
    } else {
      basic_words(piece, options, words);
    }
  });
  return words;
}

const char* wordpiece_unicode_version() {
  return kWordPieceUnicodeVersion;
}

WordPieceTokenizer WordPieceTokenizer::from_file(const std::string& path,
                                                 WordPieceOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the vocabulary file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string data = buffer.str();

  WordPieceTokenizer t;
  t.options_ = options;
  std::size_t line = 0, start = 0;
  while (start < data.size()) {
    // Python's text-mode readlines(): \n, \r\n and \r all end a line.
    std::size_t end = data.find_first_of("\r\n", start);
    if (end == std::string::npos) end = data.size();
    const std::string_view token(data.data() + start, end - start);
    if (find_invalid_utf8(token) != std::string_view::npos) {
      throw InputError(
          location_message(path, line + 1, 0, "not UTF-8 (expected BERT's vocab.txt)"));
    }
    t.vocab_[std::string(token)] = static_cast<std::int32_t>(line);  // last duplicate wins
    ++line;
    start = end + 1;
    if (end < data.size() && data[end] == '\r' && start < data.size() && data[start] == '\n') {
      ++start;
    }
  }
  t.vocab_lines_ = line;
  t.unk_id_ = t.id_of("[UNK]");
  t.cls_id_ = t.id_of("[CLS]");
  t.sep_id_ = t.id_of("[SEP]");
  t.pad_id_ = t.id_of("[PAD]");
  if (t.unk_id_ < 0 || t.cls_id_ < 0 || t.sep_id_ < 0) {
    throw InputError(path +
                     ": not a BERT vocabulary (it lacks [UNK], [CLS] or [SEP]); use "
                     "bert-base-uncased's vocab.txt (see models/README.md)");
  }
  return t;
}

std::int32_t WordPieceTokenizer::id_of(std::string_view token) const {
  const auto it = vocab_.find(std::string(token));
  return it == vocab_.end() ? -1 : it->second;
}

void WordPieceTokenizer::wordpiece(std::string_view word, std::vector<std::string>& out) const {
  // Byte offset of each code point, plus the end.
  std::vector<std::size_t> bounds;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80) bounds.push_back(i);
  }
  bounds.push_back(word.size());
  const std::size_t n = bounds.size() - 1;
  if (n > kMaxCharsPerWord) {
    out.emplace_back("[UNK]");
    return;
  }
  const std::size_t first_piece = out.size();
  std::string candidate;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = n;
    bool found = false;
    for (; end > start; --end) {
      candidate.assign(start > 0 ? "##" : "");
      candidate.append(word.substr(bounds[start], bounds[end] - bounds[start]));
      if (vocab_.count(candidate)) {
        found = true;
        break;
      }
    }
    if (!found) {
      out.resize(first_piece);
      out.emplace_back("[UNK]");
      return;
    }
    out.push_back(candidate);
    start = end;
  }
}

std::vector<std::string> WordPieceTokenizer::tokenize(std::string_view text) const {
  std::vector<std::string> tokens, words;
  for_each_piece(text, options_.do_lower_case, [&](const std::string& piece, bool special) {
    if (special) {
      tokens.push_back(piece);
      return;
    }
    words.clear();
    basic_words(piece, options_, words);
    for (const auto& w : words) wordpiece(w, tokens);
  });
  return tokens;
}

std::vector<std::int32_t> WordPieceTokenizer::token_ids(std::string_view text) const {
  std::vector<std::int32_t> ids;
  for (const auto& token : tokenize(text)) {
    const std::int32_t id = id_of(token);
    ids.push_back(id >= 0 ? id : unk_id_);
  }
  return ids;
}

}  // namespace rrg::text
