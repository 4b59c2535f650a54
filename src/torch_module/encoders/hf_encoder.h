// Inside librrg_torch.so: BERT, DistilBERT and RoBERTa encoders read from a Hugging Face model
// folder (rrg/io/hf_model_folder.h), returning the hidden states of one layer for every token.
// Model kind "hf_encoder" (documented in rrg/core/torch_module_abi.h) wraps it; other model kinds
// of the module that need a BERT-family encoder's token states (RadGraph) can hold one directly.
//
// The forward pass is HF transformers' BertModel / RobertaModel / DistilBertModel at inference
// (dropout is the identity): word + position (+ token-type) embeddings and LayerNorm, then
// post-norm layers (self-attention with an additive padding mask, dense + residual + LayerNorm,
// feed-forward with the config's activation -- erf GELU for "gelu" -- + residual + LayerNorm).
// RoBERTa numbers positions from padding_idx + 1 (create_position_ids_from_input_ids: the
// cumulative count of non-pad tokens, plus padding_idx); BERT and DistilBERT from 0.
// Layer L's output is HF's hidden_states[L] (0 = the embeddings), which is what bert_score's
// `num_layers` = L computes by dropping the layers after L; those layers are not even loaded.
// Query/key/value are one stacked matrix product; with int8 the layers' linears run on the
// dynamic int8 kernel (int8_gemm.h) as CheXbert's do.
#pragma once

#include <ATen/core/Tensor.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rrg/io/hf_model_folder.h"
#include "torch_module/encoders/transformer_parts.h"

namespace rrg::torch_module {

struct HfEncoderOptions {
  std::string model_dir;
  int layer = -1;  // hidden_states[layer]; -1 = the last layer
  bool int8 = false;
};

class HfEncoder {
 public:
  // Reads the folder's config.json and weights (only what layers 0..layer need). Throws
  // rrg::InputError naming the file and tensor when the weights do not fit the config.
  explicit HfEncoder(const HfEncoderOptions& options);

  // An encoder whose weights sit inside another model's state dict under `prefix` (RadGraph's
  // weights.th), all layers, with `config` derived by the caller. Takes its tensors from
  // `weights`; the caller runs weights.check() and then finish_loading().
  HfEncoder(const io::HfEncoderConfig& config, WeightTable& weights, const std::string& prefix,
            const std::string& source, bool int8);

  // Stacks query/key/value and quantises (int8); after the weights were checked.
  void finish_loading();

  // ids: int64 [B, L], padded with anything (the padding token by convention); lengths: int64
  // [B], the real tokens of each row (attention covers only those); token_types: int64 [B, L] or
  // undefined (all 0). Returns float32 [B, L, H]; rows past a sequence's length are padding.
  at::Tensor forward(const at::Tensor& ids, const at::Tensor& lengths,
                     const at::Tensor& token_types = at::Tensor()) const;

  const io::HfEncoderConfig& config() const { return folder_.config; }
  int layer() const { return layer_; }
  nlohmann::json describe() const;

 private:
  struct Layer {
    Linear qkv;  // query, key, value stacked: [3H, H]
    Linear attention_out;
    LayerNorm attention_norm;
    Linear intermediate;
    Linear output;
    LayerNorm output_norm;
  };
  at::Tensor activation(const at::Tensor& x) const;
  void take_weights(WeightTable& w);

  io::HfModelFolder folder_;
  int layer_ = 0;
  bool int8_ = false;
  at::Tensor word_embeddings_, position_embeddings_, token_type_embeddings_;
  LayerNorm embedding_norm_;
  std::vector<Layer> layers_;
  std::vector<std::vector<Linear>> pending_qkv_;  // until finish_loading()
  std::string prefix_;
  std::size_t unused_keys_ = 0;
};

}  // namespace rrg::torch_module
