// CheXbert on libtorch (model kind "chexbert" of librrg_torch.so; torch-free front end:
// src/labelers/chexbert.cpp).
//
// The network is CheXbert's `bert_labeler` (stanfordmlgroup/CheXbert src/models/bert_labeler.py):
// HF transformers 2.5.1 `BertModel` (bert-base-uncased: word + position + token-type embeddings,
// LayerNorm eps 1e-12, post-norm layers with erf GELU, additive attention mask
// (1 - mask) * -10000) and 14 linear heads on the final hidden state of [CLS] (dropout is the
// identity at inference). State dict keys are HF's under `bert.` plus `linear_heads.<i>`, with
// DataParallel's `module.` prefix in the published chexbert.pth.
//
// Inference-only restructuring, each exact up to float rounding:
// - query/key/value weights are concatenated into one matrix product per layer;
// - the last layer computes queries, attention output and feed-forward only for [CLS], the one
//   position the heads read (keys and values still cover every token);
// - the 14 heads are one [54, H] matrix product.
// With the option int8=1 the encoder's linear layers run on int8_gemm.h (dynamic quantisation:
// weights per output row once at load, activations per token at run time); embeddings, layer
// norms, attention products and the heads stay float32.
// State: the weights (float32, ~420 MB for bert-base; ~200 MB with int8), immutable after load.
#include <ATen/Parallel.h>
#include <ATen/ops/addmm.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/embedding.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/gelu.h>
#include <ATen/ops/layer_norm.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/softmax.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "rrg/core/errors.h"
#include "torch_module/checkpoint.h"
#include "torch_module/encoders/transformer_parts.h"
#include "torch_module/int8_gemm.h"
#include "torch_module/torch_model.h"

namespace rrg::torch_module {
namespace {

constexpr double kLayerNormEps = 1e-12;      // BertConfig.layer_norm_eps
constexpr double kMaskBias = -10000.0;       // HF 2.5.1 BertModel.forward
constexpr int kHeadSizeConvention = 64;      // every BERT release: hidden / heads = 64
constexpr int kNumHeads4 = 13;               // observations with 4 classes
constexpr int kLogits = kNumHeads4 * 4 + 2;  // + No Finding's 2 classes = 54

// Throws one InputError listing every missing key and wrong shape of the checkpoint.
void check(const WeightTable& w, const std::string& path) {
  w.check(path, "CheXbert checkpoint",
          "Expected CheXbert's chexbert.pth (a bert-base-uncased BertModel under 'bert.' "
          "and 14 'linear_heads'); see models/README.md.");
}

struct EncoderLayer {
  Linear qkv;    // query, key and value stacked: [3H, H]
  Linear query;  // last layer only: [H, H]
  Linear kv;     // last layer only: key and value stacked: [2H, H]
  Linear attention_out;
  LayerNorm attention_norm;
  Linear intermediate;
  Linear output;
  LayerNorm output_norm;
};

class ChexbertModel final : public Model {
 public:
  explicit ChexbertModel(const Options& options);
  std::string describe() const override { return description_.dump(); }
  std::vector<at::Tensor> run(const std::vector<at::Tensor>& inputs) override;

 private:
  int hidden_ = 0, attention_heads_ = 0, head_size_ = 0, vocab_ = 0, max_positions_ = 0;
  at::Tensor word_embeddings_, position_embeddings_, token_type0_;
  LayerNorm embedding_norm_;
  std::vector<EncoderLayer> layers_;
  Linear classifier_;  // the 14 heads stacked: [54, H]
  nlohmann::json description_;
};

ChexbertModel::ChexbertModel(const Options& options) {
  const std::string path = required_option(options, "checkpoint", "chexbert");
  const int threads = int_option(options, "threads", 0);
  if (threads > 0) at::set_num_threads(threads);
  StateDict state = read_state_dict(path);
  const std::string format = state.format, source = state.source;
  WeightTable w(std::move(state));

  // Sizes come from the checkpoint itself (any BERT size works; tests use a tiny one).
  const auto words = w.matrix("bert.embeddings.word_embeddings.weight");
  const auto positions = w.matrix("bert.embeddings.position_embeddings.weight");
  const auto ffn = w.matrix("bert.encoder.layer.0.intermediate.dense.weight");
  check(w, path);  // names what is missing before anything depends on the sizes
  vocab_ = static_cast<int>((*words)[0]);
  hidden_ = static_cast<int>((*words)[1]);
  max_positions_ = static_cast<int>((*positions)[0]);
  const std::int64_t h = hidden_, ffn_size = (*ffn)[0];
  const int layers = w.layer_count("bert.encoder.layer.");
  attention_heads_ = int_option(options, "heads", 0);
  if (attention_heads_ <= 0) attention_heads_ = hidden_ / kHeadSizeConvention;
  if (attention_heads_ <= 0 || hidden_ % attention_heads_ != 0) {
    throw rrg::InputError(path + ": hidden size " + std::to_string(hidden_) +
                          " cannot be split into attention heads of 64 (BERT's convention); "
                          "this is not a BERT-based CheXbert checkpoint");
  }
  head_size_ = hidden_ / attention_heads_;

  word_embeddings_ = w.take("bert.embeddings.word_embeddings.weight", {vocab_, h});
  position_embeddings_ = w.take("bert.embeddings.position_embeddings.weight", {max_positions_, h});
  const auto types = w.shape("bert.embeddings.token_type_embeddings.weight");
  const std::int64_t type_count = types && types->size() == 2 ? (*types)[0] : 2;
  at::Tensor token_types = w.take("bert.embeddings.token_type_embeddings.weight", {type_count, h});
  embedding_norm_ = take_norm(w, "bert.embeddings.LayerNorm", h, kLayerNormEps);
  if (layers == 0) w.take("bert.encoder.layer.0.attention.self.query.weight", {h, h});
  std::vector<std::array<Linear, 3>> qkv(static_cast<std::size_t>(layers));
  for (int i = 0; i < layers; ++i) {
    const std::string p = "bert.encoder.layer." + std::to_string(i);
    EncoderLayer layer;
    qkv[i] = {take_linear(w, p + ".attention.self.query", h, h),
              take_linear(w, p + ".attention.self.key", h, h),
              take_linear(w, p + ".attention.self.value", h, h)};
    layer.attention_out = take_linear(w, p + ".attention.output.dense", h, h);
    layer.attention_norm = take_norm(w, p + ".attention.output.LayerNorm", h, kLayerNormEps);
    layer.intermediate = take_linear(w, p + ".intermediate.dense", ffn_size, h);
    layer.output = take_linear(w, p + ".output.dense", h, ffn_size);
    layer.output_norm = take_norm(w, p + ".output.LayerNorm", h, kLayerNormEps);
    layers_.push_back(std::move(layer));
  }
  std::vector<at::Tensor> head_weights, head_biases;
  for (int j = 0; j <= kNumHeads4; ++j) {
    const Linear head =
        take_linear(w, "linear_heads." + std::to_string(j), j < kNumHeads4 ? 4 : 2, h);
    head_weights.push_back(head.weight);
    head_biases.push_back(head.bias);
  }
  check(w, path);

  token_type0_ = token_types[0];  // CheXbert passes no token_type_ids: all zeros
  const bool int8 = int_option(options, "int8", 0) != 0;
  // Chooses (and self-checks) the int8 kernel before any weight is quantised; a bad
  // RRG_INT8_KERNEL fails here.
  const std::string int8_kernel = int8 ? int8_kernel_in_use() : "";
  for (int i = 0; i < layers; ++i) {
    auto& [q, k, v] = qkv[i];
    EncoderLayer& layer = layers_[i];
    if (i + 1 < layers) {
      layer.qkv = {at::cat({q.weight, k.weight, v.weight}), at::cat({q.bias, k.bias, v.bias})};
    } else {
      layer.query = q;
      layer.kv = {at::cat({k.weight, v.weight}), at::cat({k.bias, v.bias})};
    }
  }
  classifier_ = {at::cat(head_weights), at::cat(head_biases)};
  if (int8) {
    std::vector<Linear*> linears;
    for (EncoderLayer& layer : layers_) {
      for (Linear* l : {&layer.qkv, &layer.query, &layer.kv, &layer.attention_out,
                        &layer.intermediate, &layer.output}) {
        if (l->weight.defined()) linears.push_back(l);
      }
    }
    quantize_all(linears);
  }

  description_ = {
      {"kind", "chexbert"},
      {"checkpoint", path},
      {"format", format},
      {"state_dict", source},
      {"layers", layers},
      {"hidden", hidden_},
      {"heads", attention_heads_},
      {"intermediate", ffn_size},
      {"vocab_size", vocab_},
      {"max_positions", max_positions_},
      {"threads", at::get_num_threads()},
      {"int8", int8},
      {"blas", blas_description()},
      {"blas_core", blas_core()},
      {"unused_keys", w.unused({"bert.pooler."}, {"bert.embeddings.position_ids"})},
  };
  if (int8) {
    description_["int8_kernel"] = int8_kernel;
    if (!int8_kernel_note().empty()) description_["int8_kernel_note"] = int8_kernel_note();
  }
}

std::vector<at::Tensor> ChexbertModel::run(const std::vector<at::Tensor>& inputs) {
  c10::InferenceMode inference;
  if (inputs.size() != 2 || inputs[0].dim() != 2 || inputs[1].dim() != 1 ||
      inputs[0].scalar_type() != at::kLong || inputs[1].scalar_type() != at::kLong ||
      inputs[1].size(0) != inputs[0].size(0)) {
    throw rrg::InputError("chexbert: expected token ids [B, L] and lengths [B] (int64)");
  }
  const at::Tensor& ids = inputs[0];
  const at::Tensor& lengths = inputs[1];
  const std::int64_t batch = ids.size(0), length = ids.size(1), h = hidden_;
  if (length < 1 || length > max_positions_) {
    throw rrg::InputError("chexbert: sequence length " + std::to_string(length) + " outside 1.." +
                          std::to_string(max_positions_));
  }
  if (batch == 0) return {at::empty({0, kLogits}), at::empty({0, h})};
  if (ids.min().item<std::int64_t>() < 0 || ids.max().item<std::int64_t>() >= vocab_ ||
      lengths.min().item<std::int64_t>() < 1 || lengths.max().item<std::int64_t>() > length) {
    throw rrg::InputError("chexbert: token id outside the vocabulary of the checkpoint (" +
                          std::to_string(vocab_) +
                          " entries) or bad length; is --vocab the "
                          "vocab.txt this checkpoint was trained with?");
  }

  // CheXbert utils.generate_attention_masks gives 1 for real tokens and 0 for padding; BertModel
  // adds (1 - mask) * -10000 to the attention scores.
  const at::Tensor padding =
      at::arange(length, ids.options()).unsqueeze(0).ge(lengths.unsqueeze(1));
  const at::Tensor mask_bias = padding.to(at::kFloat).mul_(kMaskBias).view({batch, 1, 1, length});

  at::Tensor x = at::embedding(word_embeddings_, ids)
                     .add_(position_embeddings_.narrow(0, 0, length))
                     .add_(token_type0_);
  x = embedding_norm_(x).view({batch * length, h});

  const auto split_heads = [&](const at::Tensor& t, std::int64_t positions) {
    return t.view({batch, positions, attention_heads_, head_size_}).permute({0, 2, 1, 3});
  };
  const std::size_t last = layers_.size() - 1;
  at::Tensor cls;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const EncoderLayer& layer = layers_[i];
    if (i < last) {
      const at::Tensor qkv = layer.qkv(x);
      const at::Tensor q = split_heads(qkv.narrow(1, 0, h), length);
      const at::Tensor k = split_heads(qkv.narrow(1, h, h), length);
      const at::Tensor v = split_heads(qkv.narrow(1, 2 * h, h), length);
      const at::Tensor context =
          scaled_attention(q, k, v, mask_bias).permute({0, 2, 1, 3}).reshape({batch * length, h});
      const at::Tensor a = layer.attention_norm(layer.attention_out(context).add_(x));
      x = layer.output_norm(layer.output(at::gelu(layer.intermediate(a))).add_(a));
    } else {
      // Only [CLS] (position 0 of each row) is needed from the last layer.
      const at::Tensor x_cls = x.view({batch, length, h}).select(1, 0);
      const at::Tensor kv = layer.kv(x);
      const at::Tensor q = split_heads(layer.query(x_cls), 1);
      const at::Tensor k = split_heads(kv.narrow(1, 0, h), length);
      const at::Tensor v = split_heads(kv.narrow(1, h, h), length);
      const at::Tensor context = scaled_attention(q, k, v, mask_bias).reshape({batch, h});
      const at::Tensor a = layer.attention_norm(layer.attention_out(context).add_(x_cls));
      cls = layer.output_norm(layer.output(at::gelu(layer.intermediate(a))).add_(a));
    }
  }
  return {classifier_(cls), cls};
}

}  // namespace

std::unique_ptr<Model> load_chexbert(const Options& options) {
  return std::make_unique<ChexbertModel>(options);
}

}  // namespace rrg::torch_module
