// bert_score's sent_encode (see sentence_encoder.h).
#include "rrg/metrics/bertscore/sentence_encoder.h"

#include <algorithm>

#include "rrg/core/errors.h"
#include "rrg/text/byte_level_bpe.h"
#include "rrg/text/python_str.h"
#include "rrg/text/wordpiece.h"

namespace rrg::metrics::bertscore {
namespace {

constexpr std::size_t kDefaultMaxLength = 512;  // HF max_model_input_sizes of these models

}  // namespace

SentenceEncoder::SentenceEncoder(const io::HfModelFolder& folder) {
  const io::HfEncoderConfig& c = folder.config;
  std::size_t positions = static_cast<std::size_t>(c.max_position_embeddings);
  if (c.architecture == io::HfArchitecture::kRoberta) {
    kind_ = "bpe";
    bpe_ = std::make_unique<text::ByteLevelBpeTokenizer>(
        text::ByteLevelBpeTokenizer::from_files(folder.vocab_json, folder.merges_txt));
    cls_id_ = bpe_->id_of("<s>");
    sep_id_ = bpe_->id_of("</s>");
    pad_id_ = bpe_->id_of("<pad>");
    if (cls_id_ < 0 || sep_id_ < 0 || pad_id_ < 0) {
      throw InputError(folder.vocab_json +
                       ": a RoBERTa vocabulary needs the tokens <s>, </s> and <pad>");
    }
    // Positions start at padding_idx + 1.
    const std::size_t reserved = static_cast<std::size_t>(c.pad_token_id) + 1;
    positions = positions > reserved ? positions - reserved : 0;
  } else {
    kind_ = "wordpiece";
    text::WordPieceOptions options;
    lower_case_ = folder.tokenizer.do_lower_case;
    strip_accents_ = folder.tokenizer.strip_accents;
    chinese_ = folder.tokenizer.tokenize_chinese_chars;
    if (lower_case_ >= 0) options.do_lower_case = lower_case_ == 1;
    options.strip_accents = strip_accents_;
    if (chinese_ >= 0) options.tokenize_chinese_chars = chinese_ == 1;
    wordpiece_ = std::make_unique<text::WordPieceTokenizer>(
        text::WordPieceTokenizer::from_file(folder.vocab_txt, options));
    cls_id_ = wordpiece_->cls_id();
    sep_id_ = wordpiece_->sep_id();
    pad_id_ = wordpiece_->pad_id();
    if (pad_id_ < 0) throw InputError(folder.vocab_txt + ": the vocabulary has no [PAD] token");
  }
  max_length_ = folder.tokenizer.model_max_length > 0
                    ? static_cast<std::size_t>(folder.tokenizer.model_max_length)
                    : kDefaultMaxLength;
  max_length_ = std::min(max_length_, positions);
  if (max_length_ < 2) {
    throw InputError(folder.config_path + ": the model has too few position embeddings (" +
                     std::to_string(c.max_position_embeddings) + ")");
  }
}

SentenceEncoder::~SentenceEncoder() = default;
SentenceEncoder::SentenceEncoder(SentenceEncoder&&) noexcept = default;

std::size_t SentenceEncoder::vocab_size() const {
  return bpe_ ? bpe_->vocab_size() : wordpiece_->vocab_size();
}

std::vector<std::int32_t> SentenceEncoder::encode(std::string_view text) const {
  const std::string_view stripped = text::python_strip(text);
  std::vector<std::int32_t> pieces;
  if (!stripped.empty()) {
    // RobertaTokenizer's add_prefix_space: " " + text when it does not start with whitespace
    // (after strip() it never does).
    pieces = bpe_ ? bpe_->token_ids(" " + std::string(stripped)) : wordpiece_->token_ids(stripped);
  }
  const std::size_t keep = std::min(pieces.size(), max_length_ - 2);
  std::vector<std::int32_t> ids;
  ids.reserve(keep + 2);
  ids.push_back(cls_id_);
  ids.insert(ids.end(), pieces.begin(), pieces.begin() + static_cast<std::ptrdiff_t>(keep));
  ids.push_back(sep_id_);
  return ids;
}

std::string SentenceEncoder::description() const {
  std::string out = kind_;
  if (wordpiece_) {
    out += wordpiece_->options().do_lower_case ? "-lower" : "-cased";
    const int strip = wordpiece_->options().strip_accents;
    if (strip >= 0) out += strip ? "-strip" : "-keepaccents";
    if (!wordpiece_->options().tokenize_chinese_chars) out += "-nocjk";
  }
  return out + "-max" + std::to_string(max_length_);
}

}  // namespace rrg::metrics::bertscore
