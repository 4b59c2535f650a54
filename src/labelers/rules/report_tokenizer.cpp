// Tokenizer and sentence splitter of the rule-based labeler (see report_tokenizer.h).
//
// One pass over the bytes, no regular expressions: the labeler's speed target (20,000 IU-length
// reports per second on one core) leaves about 50 microseconds per report for everything, and
// this pass is the only one that touches characters.
#include "rrg/labelers/rules/report_tokenizer.h"

#include <cstddef>

namespace rrg::labelers {
namespace {

bool is_ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(unsigned char c) {
  return static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
}

// Length of the UTF-8 sequence at text[i] when it encodes a Unicode space separator or a bullet
// that should act like ASCII white space / a list bullet, else 0. Covers NBSP (C2 A0), U+2000..
// U+200B, U+2028/9, U+202F, U+205F, U+3000 and U+FEFF; *is_bullet is set for U+2022 and U+25CF.
std::size_t unicode_space_length(std::string_view text, std::size_t i, bool* is_bullet) {
  *is_bullet = false;
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
    return 2;
  }
  if (i + 2 >= text.size()) return 0;
  const auto b1 = static_cast<unsigned char>(text[i + 1]);
  const auto b2 = static_cast<unsigned char>(text[i + 2]);
  if (b0 == 0xE2 && b1 == 0x80) {
    if (b2 <= 0x8B || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)
      return 3;        // U+2000..200B, 2028/9, 202F
    if (b2 == 0xA2) {  // U+2022 BULLET
      *is_bullet = true;
      return 3;
    }
  }
  if (b0 == 0xE2 && b1 == 0x81 && b2 == 0x9F) return 3;  // U+205F
  if (b0 == 0xE2 && b1 == 0x97 && b2 == 0x8F) {          // U+25CF BLACK CIRCLE
    *is_bullet = true;
    return 3;
  }
  if (b0 == 0xE3 && b1 == 0x80 && b2 == 0x80) return 3;  // U+3000
  if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) return 3;  // U+FEFF
  return 0;
}

bool is_punct_token(unsigned char c) {
  switch (c) {
    case ',':
    case ':':
    case '/':
    case '(':
    case ')':
    case '?':
    case '&':
    case '+':
    case '=':
    case '<':
    case '>':
      return true;
    default:
      return false;
  }
}

// Builds the token list into `out`, whose buffers are reused from report to report. `lowered`
// is sized for the worst case up front (every input byte gives at most one output byte and
// every token one separating space, so 2 * n + 1 bytes suffice), which means it never
// reallocates while tokens are added and each token's view can be taken at once; it is cut to
// the written length at the end.
class Builder {
 public:
  Builder(TokenizedReport& out, std::size_t input_size) : out_(out) {
    out_.lowered.resize(2 * input_size + 1);
    out_.tokens.clear();
    begin_ = &out_.lowered[0];
    end_ = begin_;
  }

  void begin_token() { start_ = end_; }
  void append(char c) { *end_++ = c; }
  bool token_empty() const { return end_ == start_; }

  void end_token(TokenKind kind) {
    // Written field by field in place: a ReportToken built on the stack and copied in made
    // the load of the copy wait for the narrower stores (a store-forwarding stall per token).
    ReportToken& token = out_.tokens.emplace_back();
    token.text = std::string_view(start_, static_cast<std::size_t>(end_ - start_));
    token.kind = kind;
    token.sentence = sentence_;
    *end_++ = ' ';
    sentence_has_tokens_ = true;
  }

  void punct(char c) {
    begin_token();
    append(c);
    end_token(TokenKind::kPunct);
  }

  // Ends the current sentence (a no-op when it is still empty, so runs of boundaries never
  // create empty sentences).
  void break_sentence() {
    if (sentence_has_tokens_) {
      ++sentence_;
      sentence_has_tokens_ = false;
    }
  }

  // Handles a numbered-list marker "N." / "N)" whose number is the last token: the number
  // starts a new item, so everything before it belongs to the previous sentence even when that
  // item did not end with a full stop ("1. Cardiomegaly 2. Small effusion").
  bool move_last_number_to_new_sentence() {
    if (out_.tokens.empty()) return false;
    ReportToken& last = out_.tokens.back();
    if (last.kind != TokenKind::kNumber || last.text.size() > 2 || last.sentence != sentence_) {
      return false;
    }
    const bool alone =
        out_.tokens.size() == 1 || out_.tokens[out_.tokens.size() - 2].sentence != sentence_;
    if (!alone) {
      ++sentence_;
      last.sentence = sentence_;
    }
    sentence_has_tokens_ = true;
    return true;
  }

  void finish() {
    // Shrinking keeps the buffer where it is, so the views stay valid.
    out_.lowered.resize(static_cast<std::size_t>(end_ - begin_));
    out_.num_sentences = out_.tokens.empty() ? 0 : out_.tokens.back().sentence + 1;
  }

 private:
  TokenizedReport& out_;
  char* begin_ = nullptr;
  char* end_ = nullptr;
  char* start_ = nullptr;
  std::uint32_t sentence_ = 0;
  bool sentence_has_tokens_ = false;
};

// True when text[i] is preceded on its line only by white space (a bullet position).
bool at_line_start(std::string_view text, std::size_t i) {
  while (i > 0) {
    const char c = text[i - 1];
    if (c == '\n' || c == '\r') return true;
    if (c != ' ' && c != '\t') return false;
    --i;
  }
  return true;
}

// True when the number token that ends just before text[i] is preceded by white space, the start
// of the text or a full stop: "2." in "... opacity 2. Edema" but not the "5" of "T5." (a word) or
// the "2" of "x2.".
bool number_starts_item(std::string_view text, std::size_t i) {
  if (i == 0 || !is_digit(static_cast<unsigned char>(text[i - 1]))) return false;
  std::size_t j = i;
  while (j > 0 && is_digit(static_cast<unsigned char>(text[j - 1]))) --j;
  if (j == 0) return true;
  const char before = text[j - 1];
  return before == ' ' || before == '\t' || before == '\n' || before == '\r' || before == '.' ||
         before == '(';
}

}  // namespace

void tokenize_report(std::string_view text, TokenizedReport& out) {
  Builder builder(out, text.size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    bool bullet = false;
    if (c >= 0x80) {
      const std::size_t space = unicode_space_length(text, i, &bullet);
      if (space > 0) {
        if (bullet) builder.break_sentence();
        i += space;
        continue;
      }
    }
    if (is_ascii_alnum(c) || c >= 0x80) {
      builder.begin_token();
      bool all_digits = true;
      while (i < n) {
        const auto d = static_cast<unsigned char>(text[i]);
        if (is_ascii_alnum(d) || d >= 0x80) {
          if (d >= 0x80) {
            bool b = false;
            if (unicode_space_length(text, i, &b) > 0) break;
          }
          if (!is_digit(d)) all_digits = false;
          builder.append(lower(d));
          ++i;
        } else if (d == '\'' && !builder.token_empty() && i + 1 < n &&
                   is_alpha(static_cast<unsigned char>(text[i + 1]))) {
          ++i;  // "today's" -> "todays"
        } else if (d == '.' && all_digits && i + 1 < n &&
                   is_digit(static_cast<unsigned char>(text[i + 1]))) {
          builder.append('.');  // decimal point: "2.5 cm" stays one number
          ++i;
        } else {
          break;
        }
      }
      builder.end_token(all_digits ? TokenKind::kNumber : TokenKind::kWord);
      continue;
    }
    switch (c) {
      case '.':
      case '!':
      case ')':
        if ((c == '.' || c == ')') && number_starts_item(text, i) &&
            builder.move_last_number_to_new_sentence()) {
          // "2." / "2)" list marker: the new item already started before the number.
        } else if (c == ')') {
          builder.punct(')');
        } else {
          builder.break_sentence();
        }
        break;
      case ';':
        builder.break_sentence();
        break;
      case '\n':
      case '\r': {
        // A blank line, or a new line starting with a bullet, ends the sentence; a single line
        // break inside a paragraph (wrapped text) does not.
        std::size_t j = i + 1;
        while (j < n && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) ++j;
        if (j < n && text[j] == '\n') builder.break_sentence();
        break;
      }
      case '-':
      case '*':
        if (at_line_start(text, i)) builder.break_sentence();  // bullet
        break;
      default:
        if (is_punct_token(c)) builder.punct(static_cast<char>(c));
        break;
    }
    ++i;
  }
  builder.finish();
}

std::vector<std::string> tokenize_phrase(std::string_view phrase) {
  TokenizedReport tokenized;
  tokenize_report(phrase, tokenized);
  std::vector<std::string> out;
  out.reserve(tokenized.tokens.size());
  for (const ReportToken& token : tokenized.tokens) out.emplace_back(token.text);
  return out;
}

}  // namespace rrg::labelers
