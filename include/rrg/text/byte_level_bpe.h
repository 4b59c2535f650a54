// GPT-2 / RoBERTa byte-level BPE from a Hugging Face `vocab.json` + `merges.txt` pair.
//
// Encoding a text, as OpenAI's GPT-2 encoder.py and HF's GPT2Tokenizer/RobertaTokenizer do it:
//   1. gpt2_pretokenize() splits it into pieces (rrg/text/gpt2_pretokenizer.h);
//   2. each piece's UTF-8 bytes become printable characters through GPT-2's byte-to-unicode
//      table (bytes 0x21-0x7E, 0xA1-0xAC, 0xAE-0xFF map to themselves, the other 68 to U+0100+n
//      in byte order: a space becomes "Ġ", a newline "Ċ");
//   3. BPE: the piece starts as single characters; repeatedly, the adjacent pair with the lowest
//      rank in merges.txt (its line number after the "#version" header) is merged wherever it
//      occurs, left to right, until no adjacent pair has a rank;
//   4. each resulting token maps to its id in vocab.json.
// Text is encoded as plain text: a literal "<s>" or "<|endoftext|>" in it is BPE-encoded like
// any other characters (as OpenAI's encoder and the npm package gpt-3-encoder do; HF's
// tokenizers would map a registered special token written in the text to its id).
// Immutable after construction apart from a cache of encoded pieces; safe to use from several
// threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rrg/text/gpt2_pretokenizer.h"

namespace rrg::text {

class ByteLevelBpeTokenizer {
 public:
  // Reads vocab.json (a JSON object token -> id) and merges.txt (an optional "#version" first
  // line, then one "left right" pair per line, rank = order). Throws rrg::InputError naming the
  // file (and line) when a file cannot be read, is not valid, or a merge's parts or result are
  // missing from the vocabulary.
  // `whitespace`: the pre-tokenizer's \s (HF's by default; kJavaScript reproduces the npm
  // package gpt-3-encoder, the tests' oracle).
  static ByteLevelBpeTokenizer from_files(const std::string& vocab_json,
                                          const std::string& merges_txt,
                                          Gpt2Whitespace whitespace = Gpt2Whitespace::kUnicode);

  ByteLevelBpeTokenizer(ByteLevelBpeTokenizer&&) noexcept;
  ByteLevelBpeTokenizer& operator=(ByteLevelBpeTokenizer&&) noexcept;
  ~ByteLevelBpeTokenizer();

  // The BPE tokens of `text` (byte-level strings such as "Ġlung").
  std::vector<std::string> tokenize(std::string_view text) const;

  // The ids of tokenize(text) (no special tokens added).
  std::vector<std::int32_t> token_ids(std::string_view text) const;

  // Id of `token` in vocab.json, or -1.
  std::int32_t id_of(std::string_view token) const;

  // One more than the largest id (the rows a model's word embeddings must have at least).
  std::size_t vocab_size() const;

 private:
  ByteLevelBpeTokenizer();
  // Appends the BPE ids of one pre-tokenized piece (already byte-to-unicode mapped).
  void encode_piece(const std::string& mapped, std::vector<std::int32_t>& ids) const;

  struct State;
  std::unique_ptr<State> state_;
};

// GPT-2's byte-to-unicode table: the UTF-8 string of the character standing for `byte`.
const std::string& gpt2_byte_symbol(unsigned char byte);

}  // namespace rrg::text
