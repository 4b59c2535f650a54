// bert_score's `sent_encode`: a text to the token ids a BERT-family model reads, with the
// tokenizer of a Hugging Face model folder (WordPiece for bert / distilbert, byte-level BPE for
// roberta), exactly as bert_score 0.3.13 calls HF's (slow) tokenizer:
//   text.strip() (Python's Unicode whitespace); an empty text becomes [CLS] [SEP] (<s> </s>);
//   otherwise tokenizer.encode(text, add_special_tokens=True, max_length=model_max_length,
//   truncation=True): [CLS] + the first model_max_length - 2 tokens + [SEP]; for RoBERTa with
//   add_prefix_space=True, i.e. the text is encoded as " " + text (its first word gets the
//   "Ġ" of a word after a space).
// model_max_length is tokenizer_config.json's value when present, else 512 (what HF's
// tokenizers of bert-base-uncased, distilbert-base-uncased and roberta-* declare), and never
// more than the positions the model has (RoBERTa's first padding_idx + 1 positions are unusable).
// WordPiece options (do_lower_case...) come from tokenizer_config.json, defaulting to
// BertTokenizer's (lower-cased, accents stripped).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/io/hf_model_folder.h"

namespace rrg::text {
class WordPieceTokenizer;
class ByteLevelBpeTokenizer;
}  // namespace rrg::text

namespace rrg::metrics::bertscore {

class SentenceEncoder {
 public:
  // Reads the tokenizer files of `folder`. Throws rrg::InputError naming the file when they are
  // unusable or lack the special tokens.
  explicit SentenceEncoder(const io::HfModelFolder& folder);
  ~SentenceEncoder();
  SentenceEncoder(SentenceEncoder&&) noexcept;

  std::vector<std::int32_t> encode(std::string_view text) const;

  std::int32_t cls_id() const { return cls_id_; }
  std::int32_t sep_id() const { return sep_id_; }
  std::int32_t pad_id() const { return pad_id_; }
  std::size_t max_length() const { return max_length_; }
  std::size_t vocab_size() const;
  // "wordpiece" or "bpe".
  const std::string& kind() const { return kind_; }
  // What changes the ids: kind, lower-casing, maximum length (for signatures and cache keys).
  std::string description() const;

 private:
  std::string kind_;
  std::unique_ptr<text::WordPieceTokenizer> wordpiece_;
  std::unique_ptr<text::ByteLevelBpeTokenizer> bpe_;
  std::int32_t cls_id_ = -1, sep_id_ = -1, pad_id_ = -1;
  std::size_t max_length_ = 512;
  int lower_case_ = -1, strip_accents_ = -1, chinese_ = -1;
};

}  // namespace rrg::metrics::bertscore
