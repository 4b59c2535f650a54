// Tokenizer and sentence splitter of the rule-based labeler (the first stage of the CheXpert
// labeler design, Irvin et al. 2019, which splits reports into sentences before extracting
// mentions).
//
// A report is lower-cased once (ASCII letters only; other bytes, e.g. UTF-8 sequences, are kept)
// into a buffer owned by TokenizedReport; tokens are views into that buffer. Words are runs of
// letters, digits and non-ASCII bytes; a hyphen separates words ("x-ray" gives "x", "ray", so the
// phrase lists never need to spell hyphen variants) and an apostrophe inside a word is dropped
// ("today's" gives "todays").
// A sentence ends at a full stop that is not a decimal point, at '!' or ';', at a blank line or
// a bullet, and before a numbered-list marker ("1." / "2)"), which starts a new item even when the
// previous item had no full stop. The de-identification token "XXXX" of IU X-Ray / Open-i becomes
// the ordinary word "xxxx": it never splits a sentence and no phrase list mentions it, so it
// behaves like any unknown word.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::labelers {

enum class TokenKind : std::uint8_t {
  kWord,    // letters, possibly mixed with digits ("t12", "5th") or non-ASCII bytes
  kNumber,  // digits, possibly with a decimal point ("2.5")
  kPunct,   // one of , : ; / ( ) ? & + = < >
};

struct ReportToken {
  std::string_view text;  // lower-cased; a view into TokenizedReport::lowered
  TokenKind kind = TokenKind::kWord;
  std::uint32_t sentence = 0;  // index of the sentence holding the token
};

struct TokenizedReport {
  std::string lowered;  // the lower-cased report with joiners removed; tokens point into it
  std::vector<ReportToken> tokens;
  std::uint32_t num_sentences = 0;
};

// Tokenizes `text` into `out` (reusing its buffers). Never throws on any byte sequence.
void tokenize_report(std::string_view text, TokenizedReport& out);

// Tokenizes one phrase of a rule file the way report text is tokenized and returns the token
// texts (no sentence information). Used by the rule loader so that "x-ray" in a list matches
// "X-ray" and "x ray" in reports.
std::vector<std::string> tokenize_phrase(std::string_view phrase);

}  // namespace rrg::labelers
