// WordPiece tokenisation exactly as HF's BertTokenizer does it: for bert-base-uncased
// (do_lower_case=True, the default and the tokenizer CheXbert was trained and is run with) and,
// through WordPieceOptions, for the other BERT-family folders (cased models, strip_accents,
// tokenize_chinese_chars, as their tokenizer_config.json says).
//
// Reproduced from HF transformers 2.5.1 (the version CheXbert pins), whose slow tokenizer is
// also what later 4.x versions run for this vocabulary:
//   1. special tokens ([UNK] [SEP] [PAD] [CLS] [MASK]) written in the text are kept whole and
//      map to their ids; with do_lower_case every other character is lower-cased on its own
//      (Python str.lower of one character: no final-sigma rule) — PreTrainedTokenizer.tokenize;
//   2. BasicTokenizer: NUL, U+FFFD and control characters (category C*, except \t \n \r) are
//      dropped, whitespace (\t \n \r, category Zs) becomes a space, CJK ideographs are spaced
//      out (tokenize_chinese_chars), the text is split like Python's str.split(); each word is
//      lower-cased and NFD normalised with its non-spacing marks (Mn) removed ("é" -> "e") —
//      with do_lower_case, unless strip_accents is false; without do_lower_case only when
//      strip_accents is true — and split before and after every punctuation character
//      (Unicode P*, and all ASCII non-alphanumerics);
//   3. WordpieceTokenizer: greedy longest-match-first against the vocabulary, continuation
//      pieces prefixed "##"; a word longer than 100 characters, or one that cannot be covered,
//      becomes [UNK].
// Character data come from Python's unicodedata (Unicode 14.0) via
// scripts/gen_wordpiece_tables.py. A tokenizer is immutable after construction and safe to use
// from several threads. (transformers >= 4.31 also NFC-normalises each text first; that changes
// nothing with do_lower_case, and for cased models only text with decomposed accents.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rrg::text {

// BertTokenizer's options (tokenizer_config.json keys of the same names).
struct WordPieceOptions {
  bool do_lower_case = true;
  // -1 = unset (follows do_lower_case), 0 = false, 1 = true.
  int strip_accents = -1;
  bool tokenize_chinese_chars = true;
};

class WordPieceTokenizer {
 public:
  // Reads a BERT vocab.txt: one token per line (\n, \r\n or \r), id = line number from 0; a
  // token listed twice keeps its last id (tokenization_bert.load_vocab). Throws rrg::InputError
  // (path:line) when the file cannot be read, is not UTF-8, or lacks [UNK], [CLS] or [SEP].
  static WordPieceTokenizer from_file(const std::string& path, WordPieceOptions options = {});

  // Word pieces of `text` as BertTokenizer.tokenize(text) returns them. Invalid UTF-8 bytes
  // count as U+FFFD (and are therefore dropped).
  std::vector<std::string> tokenize(std::string_view text) const;

  // The ids of tokenize(text) (tokens missing from the vocabulary -> [UNK]), without [CLS]/[SEP].
  std::vector<std::int32_t> token_ids(std::string_view text) const;

  // Id of `token`, or -1 when it is not in the vocabulary.
  std::int32_t id_of(std::string_view token) const;

  std::size_t vocab_size() const { return vocab_lines_; }
  std::int32_t cls_id() const { return cls_id_; }
  std::int32_t sep_id() const { return sep_id_; }
  std::int32_t unk_id() const { return unk_id_; }
  // Id of [PAD], or -1 when the vocabulary has none.
  std::int32_t pad_id() const { return pad_id_; }
  const WordPieceOptions& options() const { return options_; }

 private:
  WordPieceTokenizer() = default;
  void wordpiece(std::string_view word, std::vector<std::string>& out) const;

  std::unordered_map<std::string, std::int32_t> vocab_;
  std::size_t vocab_lines_ = 0;
  std::int32_t cls_id_ = -1, sep_id_ = -1, unk_id_ = -1, pad_id_ = -1;
  WordPieceOptions options_;
};

// Steps 1-2 above (everything before WordPiece) on `text`: the words BasicTokenizer produces,
// with special tokens kept as single words. Exposed for tests of the Unicode handling.
std::vector<std::string> bert_basic_tokenize(std::string_view text,
                                             const WordPieceOptions& options = {});

// Unicode version of the character tables ("14.0.0").
const char* wordpiece_unicode_version();

}  // namespace rrg::text
