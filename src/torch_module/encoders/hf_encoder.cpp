// Hugging Face BERT-family encoders (see hf_encoder.h) and the model kind "hf_encoder".
//
// State: the weights of the embeddings and of layers 0..layer-1 (float32, or int8 linears),
// immutable after load.
#include "torch_module/encoders/hf_encoder.h"

#include <ATen/Parallel.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cumsum.h>
#include <ATen/ops/embedding.h>
#include <ATen/ops/gelu.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/zeros.h>
#include <c10/core/InferenceMode.h>

#include "rrg/core/errors.h"
#include "torch_module/checkpoint.h"
#include "torch_module/torch_model.h"

namespace rrg::torch_module {
namespace {

constexpr double kMaskBias = -10000.0;  // any large negative: exp() underflows to exactly 0

// The state-dict names of one architecture: HF's module paths below the base model.
struct Names {
  std::vector<std::string> prefixes;  // tried in order; "" = a bare base-model state dict
  std::string layer;                  // "encoder.layer." or "transformer.layer."
  std::string query, key, value, attention_out, attention_norm, intermediate, output, output_norm;
};

const Names& names_for(io::HfArchitecture architecture) {
  static const Names bert{{"bert.", ""},
                          "encoder.layer.",
                          "attention.self.query",
                          "attention.self.key",
                          "attention.self.value",
                          "attention.output.dense",
                          "attention.output.LayerNorm",
                          "intermediate.dense",
                          "output.dense",
                          "output.LayerNorm"};
  static const Names roberta = [] {
    Names n = bert;
    n.prefixes = {"roberta.", ""};
    return n;
  }();
  static const Names distilbert{{"distilbert.", ""}, "transformer.layer.", "attention.q_lin",
                                "attention.k_lin",   "attention.v_lin",    "attention.out_lin",
                                "sa_layer_norm",     "ffn.lin1",           "ffn.lin2",
                                "output_layer_norm"};
  switch (architecture) {
    case io::HfArchitecture::kRoberta:
      return roberta;
    case io::HfArchitecture::kDistilBert:
      return distilbert;
    default:
      return bert;
  }
}

std::unique_ptr<WeightTable> open_weights(const io::HfModelFolder& folder) {
  if (folder.weights_format == "safetensors") {
    return std::make_unique<WeightTable>(std::make_unique<SafetensorsFile>(folder.weights_path));
  }
  return std::make_unique<WeightTable>(read_state_dict(folder.weights_path));
}

}  // namespace

HfEncoder::HfEncoder(const HfEncoderOptions& options)
    : folder_(io::read_hf_model_config(options.model_dir)), int8_(options.int8) {
  const io::HfEncoderConfig& c = folder_.config;
  layer_ = options.layer < 0 ? c.num_layers : options.layer;
  if (layer_ > c.num_layers) {
    throw rrg::InputError(folder_.config_path + ": layer " + std::to_string(layer_) +
                          " requested, but the model has " + std::to_string(c.num_layers) +
                          " layers (0 = the embeddings, " + std::to_string(c.num_layers) +
                          " = the last layer)");
  }
  std::unique_ptr<WeightTable> table = open_weights(folder_);
  const Names& n = names_for(c.architecture);
  for (const std::string& p : n.prefixes) {
    if (table->shape(p + "embeddings.word_embeddings.weight")) {
      prefix_ = p;
      break;
    }
  }
  take_weights(*table);
  table->check(folder_.weights_path, std::string(io::architecture_name(c.architecture)) + " model",
               "The weights do not match " + folder_.config_path + " (model_type \"" +
                   c.model_type + "\"); expected HF state-dict names such as '" +
                   n.prefixes.front() +
                   "embeddings.word_embeddings.weight' (with or without the '" +
                   n.prefixes.front() + "' prefix).");
  finish_loading();
  unused_keys_ = table->unused({}, {}).size();
}

HfEncoder::HfEncoder(const io::HfEncoderConfig& config, WeightTable& weights,
                     const std::string& prefix, const std::string& source, bool int8)
    : int8_(int8) {
  folder_.config = config;
  folder_.dir = source;
  folder_.config_path = source;
  folder_.weights_path = source;
  folder_.weights_format = "torch";
  layer_ = config.num_layers;
  prefix_ = prefix;
  take_weights(weights);
}

void HfEncoder::take_weights(WeightTable& w) {
  const io::HfEncoderConfig& c = folder_.config;
  const Names& n = names_for(c.architecture);
  const std::string& p = prefix_;
  const std::int64_t h = c.hidden_size, ffn = c.intermediate_size;
  word_embeddings_ = w.take(p + "embeddings.word_embeddings.weight", {c.vocab_size, h});
  position_embeddings_ =
      w.take(p + "embeddings.position_embeddings.weight", {c.max_position_embeddings, h});
  if (c.type_vocab_size > 0) {
    token_type_embeddings_ =
        w.take(p + "embeddings.token_type_embeddings.weight", {c.type_vocab_size, h});
  }
  embedding_norm_ = take_norm(w, p + "embeddings.LayerNorm", h, c.layer_norm_eps);
  for (int i = 0; i < layer_; ++i) {
    const std::string lp = p + n.layer + std::to_string(i) + ".";
    Layer layer;
    pending_qkv_.push_back({take_linear(w, lp + n.query, h, h), take_linear(w, lp + n.key, h, h),
                            take_linear(w, lp + n.value, h, h)});
    layer.attention_out = take_linear(w, lp + n.attention_out, h, h);
    layer.attention_norm = take_norm(w, lp + n.attention_norm, h, c.layer_norm_eps);
    layer.intermediate = take_linear(w, lp + n.intermediate, ffn, h);
    layer.output = take_linear(w, lp + n.output, h, ffn);
    layer.output_norm = take_norm(w, lp + n.output_norm, h, c.layer_norm_eps);
    layers_.push_back(std::move(layer));
  }
}

void HfEncoder::finish_loading() {
  for (std::size_t i = 0; i < layers_.size() && i < pending_qkv_.size(); ++i) {
    layers_[i].qkv = stack_linears(pending_qkv_[i]);
  }
  pending_qkv_.clear();
  if (int8_) {
    if (!int8_matmul_supported()) {
      throw std::runtime_error("hf_encoder: the int8 path needs a CPU with AVX2; run without int8");
    }
    std::vector<Linear*> linears;
    for (Layer& l : layers_) {
      for (Linear* x : {&l.qkv, &l.attention_out, &l.intermediate, &l.output}) {
        linears.push_back(x);
      }
    }
    quantize_all(linears);
  }
}

at::Tensor HfEncoder::activation(const at::Tensor& x) const {
  const std::string& act = folder_.config.hidden_act;
  if (act == "gelu") return at::gelu(x);
  if (act == "relu") return at::relu(x);
  return at::gelu(x, "tanh");  // gelu_new, gelu_pytorch_tanh
}

at::Tensor HfEncoder::forward(const at::Tensor& ids, const at::Tensor& lengths,
                              const at::Tensor& token_types) const {
  const io::HfEncoderConfig& c = folder_.config;
  const std::int64_t batch = ids.size(0), length = ids.size(1), h = c.hidden_size;
  const std::int64_t heads = c.num_heads, head_size = h / heads;
  at::Tensor positions;
  if (c.architecture == io::HfArchitecture::kRoberta) {
    // create_position_ids_from_input_ids: padding_idx + the running count of non-pad tokens.
    const at::Tensor real = ids.ne(c.pad_token_id).to(at::kLong);
    positions = at::cumsum(real, 1).mul_(real).add_(c.pad_token_id);
  } else {
    positions = at::arange(length, ids.options()).unsqueeze(0).expand({batch, length});
  }
  if (positions.max().item<std::int64_t>() >= c.max_position_embeddings) {
    throw rrg::InputError(folder_.config_path + ": a sequence of " + std::to_string(length) +
                          " tokens needs more than the model's " +
                          std::to_string(c.max_position_embeddings) + " position embeddings");
  }
  at::Tensor x =
      at::embedding(word_embeddings_, ids).add_(at::embedding(position_embeddings_, positions));
  if (token_type_embeddings_.defined()) {
    if (token_types.defined()) {
      x.add_(at::embedding(token_type_embeddings_, token_types));
    } else {
      x.add_(token_type_embeddings_[0]);
    }
  }
  x = embedding_norm_(x).view({batch * length, h});
  const at::Tensor padding =
      at::arange(length, ids.options()).unsqueeze(0).ge(lengths.unsqueeze(1));
  const at::Tensor mask_bias = padding.to(at::kFloat).mul_(kMaskBias).view({batch, 1, 1, length});
  const auto split_heads = [&](const at::Tensor& t) {
    return t.view({batch, length, heads, head_size}).permute({0, 2, 1, 3});
  };
  for (const Layer& layer : layers_) {
    const at::Tensor qkv = layer.qkv(x);
    const at::Tensor context =
        scaled_attention(split_heads(qkv.narrow(1, 0, h)), split_heads(qkv.narrow(1, h, h)),
                         split_heads(qkv.narrow(1, 2 * h, h)), mask_bias)
            .permute({0, 2, 1, 3})
            .reshape({batch * length, h});
    const at::Tensor a = layer.attention_norm(layer.attention_out(context).add_(x));
    x = layer.output_norm(layer.output(activation(layer.intermediate(a))).add_(a));
  }
  return x.view({batch, length, h});
}

nlohmann::json HfEncoder::describe() const {
  const io::HfEncoderConfig& c = folder_.config;
  return {
      {"kind", "hf_encoder"},
      {"model_dir", folder_.dir},
      {"model_type", c.model_type},
      {"architecture", io::architecture_name(c.architecture)},
      {"name_or_path", c.name_or_path},
      {"weights", folder_.weights_path},
      {"format", folder_.weights_format},
      {"state_dict_prefix", prefix_},
      {"layers", c.num_layers},
      {"layer", layer_},
      {"hidden", c.hidden_size},
      {"heads", c.num_heads},
      {"intermediate", c.intermediate_size},
      {"vocab_size", c.vocab_size},
      {"max_positions", c.max_position_embeddings},
      {"pad_token_id", c.pad_token_id},
      {"layer_norm_eps", c.layer_norm_eps},
      {"activation", c.hidden_act},
      {"threads", at::get_num_threads()},
      {"int8", int8_},
      {"blas", blas_description()},
      {"blas_core", blas_core()},
      {"unused_key_count", unused_keys_},
  };
}

namespace {

class HfEncoderModel final : public Model {
 public:
  explicit HfEncoderModel(const Options& options)
      : encoder_([&] {
          const int threads = int_option(options, "threads", 0);
          if (threads > 0) at::set_num_threads(threads);
          HfEncoderOptions o;
          o.model_dir = required_option(options, "model_dir", "hf_encoder");
          o.layer = int_option(options, "layer", -1);
          o.int8 = int_option(options, "int8", 0) != 0;
          return o;
        }()) {}

  std::string describe() const override { return encoder_.describe().dump(); }

  std::vector<at::Tensor> run(const std::vector<at::Tensor>& inputs) override {
    c10::InferenceMode inference;
    const bool types = inputs.size() == 3;
    if ((inputs.size() != 2 && !types) || inputs[0].dim() != 2 || inputs[1].dim() != 1 ||
        inputs[0].scalar_type() != at::kLong || inputs[1].scalar_type() != at::kLong ||
        inputs[1].size(0) != inputs[0].size(0) ||
        (types &&
         (inputs[2].sizes() != inputs[0].sizes() || inputs[2].scalar_type() != at::kLong))) {
      throw rrg::InputError(
          "hf_encoder: expected token ids [B, L], lengths [B] and optionally token types [B, L] "
          "(int64)");
    }
    const at::Tensor& ids = inputs[0];
    const at::Tensor& lengths = inputs[1];
    const io::HfEncoderConfig& c = encoder_.config();
    if (ids.size(0) == 0 || ids.size(1) == 0) {
      return {at::zeros({ids.size(0), ids.size(1), c.hidden_size})};
    }
    if (ids.min().item<std::int64_t>() < 0 || ids.max().item<std::int64_t>() >= c.vocab_size ||
        lengths.min().item<std::int64_t>() < 1 ||
        lengths.max().item<std::int64_t>() > ids.size(1)) {
      throw rrg::InputError("hf_encoder: a token id is outside the model's vocabulary (" +
                            std::to_string(c.vocab_size) +
                            " entries) or a length is outside 1..L; are the tokenizer files "
                            "from the same model folder?");
    }
    if (types && c.type_vocab_size > 0 &&
        (inputs[2].min().item<std::int64_t>() < 0 ||
         inputs[2].max().item<std::int64_t>() >= c.type_vocab_size)) {
      throw rrg::InputError("hf_encoder: a token type is outside 0.." +
                            std::to_string(c.type_vocab_size - 1));
    }
    return {encoder_.forward(ids, lengths, types ? inputs[2] : at::Tensor())};
  }

 private:
  HfEncoder encoder_;
};

}  // namespace

std::unique_ptr<Model> load_hf_encoder(const Options& options) {
  return std::make_unique<HfEncoderModel>(options);
}

}  // namespace rrg::torch_module
