// RadGraph's span network on libtorch (model kind "radgraph" of librrg_torch.so; torch-free front
// end: src/labelers/radgraph/). Documented inputs/outputs: rrg/core/torch_module_abi.h.
//
// The network is DyGIE++ as the `radgraph` package runs it at inference (dropout is the
// identity), reading the AllenNLP state dict weights.th by its own names:
// - the BERT-family encoder under `_embedder.token_embedder_bert._matched_embedder.
//   transformer_model.` (AllenNLP's pretrained_transformer_mismatched embedder): word pieces
//   are run in segments of at most max_length pieces, each wrapped in [CLS] ... [SEP] (AllenNLP
//   folds longer inputs that way), and a word's vector is the mean of its pieces' final hidden
//   states (zero for a word without pieces);
// - spans (start <= end < start + max_span_width, ordered by start then end) are
//   [x_start, x_end, width embedding] (EndpointSpanExtractor "x,y" with
//   `_endpoint_span_extractor._span_width_embedding`);
// - NER: FeedForward (Linear + ReLU per layer) then Linear to the non-null labels; the null
//   label scores 0 (column 0 of the output);
// - the relation pruner: FeedForward + Linear(1) mention scores, the ceil(words * spans_per_word)
//   best spans kept in their original order; each ordered pair (i, j) of kept spans scored by
//   FeedForward + Linear on [e_i, e_j, e_i * e_j] plus both mention scores; null = 0.
// State: the weights (float32), immutable after load.
#include <ATen/Parallel.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/ceil.h>
#include <ATen/ops/full.h>
#include <ATen/ops/index_select.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/sort.h>
#include <ATen/ops/tensor.h>
#include <ATen/ops/topk.h>
#include <ATen/ops/zeros.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "rrg/core/errors.h"
#include "torch_module/checkpoint.h"
#include "torch_module/encoders/hf_encoder.h"
#include "torch_module/encoders/transformer_parts.h"
#include "torch_module/torch_model.h"

namespace rrg::torch_module {
namespace {

constexpr double kMasked = -1e20;  // what DyGIE writes into masked span scores
const char* const kEncoderPrefixes[] = {
    "_embedder.token_embedder_bert._matched_embedder.transformer_model.",
    "_embedder.token_embedder_bert._matched_embedder.transformer_model.bert."};

// AllenNLP FeedForward: every layer Linear then ReLU.
struct FeedForward {
  std::vector<Linear> layers;
  std::int64_t output_dim = 0;
  at::Tensor operator()(at::Tensor x) const {
    for (const Linear& l : layers) x = at::relu(l(x));
    return x;
  }
};

FeedForward take_feedforward(WeightTable& w, const std::string& prefix, std::int64_t input_dim) {
  FeedForward ff;
  std::int64_t in = input_dim;
  for (int i = 0;; ++i) {
    const std::string lp = prefix + "_linear_layers." + std::to_string(i);
    const auto shape = w.shape(lp + ".weight");
    if (!shape) {
      if (i == 0) w.matrix(lp + ".weight");  // records the missing key
      break;
    }
    const std::int64_t out = shape->empty() ? 0 : (*shape)[0];
    ff.layers.push_back(take_linear(w, lp, out, in));
    in = out;
  }
  ff.output_dim = in;
  return ff;
}

std::int64_t rows_of(WeightTable& w, const std::string& key) {
  const auto m = w.matrix(key);
  return m ? (*m)[0] : 0;
}

class RadGraphModel final : public Model {
 public:
  explicit RadGraphModel(const Options& options) {
    const int threads = int_option(options, "threads", 0);
    if (threads > 0) at::set_num_threads(threads);
    path_ = required_option(options, "weights", "radgraph");
    const std::string ner_ns = required_option(options, "ner_namespace", "radgraph");
    const std::string rel_ns = required_option(options, "relation_namespace", "radgraph");
    max_span_width_ = int_option(options, "max_span_width", 0);
    max_length_ = int_option(options, "max_length", 0);
    cls_id_ = int_option(options, "cls_id", -1);
    sep_id_ = int_option(options, "sep_id", -1);
    pad_id_ = int_option(options, "pad_id", 0);
    const auto spw = options.find("spans_per_word");
    if (spw == options.end() || max_span_width_ < 1 || cls_id_ < 0 || sep_id_ < 0) {
      throw rrg::InputError(
          "radgraph: the options spans_per_word, max_span_width, cls_id and sep_id are required");
    }
    spans_per_word_ = std::stod(spw->second);

    WeightTable w(read_state_dict(path_), "module.");
    for (const char* p : kEncoderPrefixes) {
      if (w.shape(std::string(p) + "embeddings.word_embeddings.weight")) prefix_ = p;
    }
    if (prefix_.empty()) {
      throw rrg::InputError(
          path_ + " is not a usable RadGraph weights.th: no BERT encoder under '" +
          kEncoderPrefixes[0] + "' (expected 'embeddings.word_embeddings.weight')");
    }
    io::HfEncoderConfig c;
    c.model_type = "bert";
    const auto words = *w.shape(prefix_ + "embeddings.word_embeddings.weight");
    c.vocab_size = static_cast<int>(words[0]);
    c.hidden_size = static_cast<int>(words[1]);
    c.max_position_embeddings =
        static_cast<int>(rows_of(w, prefix_ + "embeddings.position_embeddings.weight"));
    const auto types = w.shape(prefix_ + "embeddings.token_type_embeddings.weight");
    c.type_vocab_size = types ? static_cast<int>((*types)[0]) : 0;
    c.num_layers = w.layer_count(prefix_ + "encoder.layer.");
    c.intermediate_size =
        static_cast<int>(rows_of(w, prefix_ + "encoder.layer.0.intermediate.dense.weight"));
    const int heads = int_option(options, "heads", 0);
    c.num_heads = heads > 0 ? heads : std::max(1, c.hidden_size / 64);
    const auto eps = options.find("layer_norm_eps");
    if (eps != options.end() && !eps->second.empty()) c.layer_norm_eps = std::stod(eps->second);
    const auto act = options.find("hidden_act");
    if (act != options.end() && !act->second.empty()) c.hidden_act = act->second;
    c.pad_token_id = pad_id_;
    if (c.hidden_size % c.num_heads != 0) {
      throw rrg::InputError(path_ + ": hidden size " + std::to_string(c.hidden_size) +
                            " is not divisible by " + std::to_string(c.num_heads) + " heads");
    }
    if (max_length_ <= 2 || max_length_ > c.max_position_embeddings) {
      max_length_ = c.max_position_embeddings;
    }
    // int8=1: the encoder's linear layers in int8 (dynamic quantisation, as CheXbert's); the
    // span and relation heads stay float32.
    int8_ = int_option(options, "int8", 0) != 0;
    encoder_ = std::make_unique<HfEncoder>(c, w, prefix_, path_, int8_);

    const std::string width_key = "_endpoint_span_extractor._span_width_embedding.weight";
    const auto width_shape = w.matrix(width_key);
    feature_size_ = width_shape ? (*width_shape)[1] : 0;
    width_embedding_ = w.take(width_key, {max_span_width_, feature_size_});
    span_dim_ = 2 * c.hidden_size + feature_size_;

    const std::string ner = "_ner._ner_scorers." + ner_ns + ".";
    ner_ff_ = take_feedforward(w, ner + "0._module.", span_dim_);
    n_ner_ = rows_of(w, ner + "1._module.weight");
    ner_out_ = take_linear(w, ner + "1._module", n_ner_, ner_ff_.output_dim);

    const std::string pruner = "_relation._mention_pruners." + rel_ns + "._scorer.";
    mention_ff_ = take_feedforward(w, pruner + "0._module.", span_dim_);
    mention_out_ = take_linear(w, pruner + "1._module", 1, mention_ff_.output_dim);

    relation_ff_ =
        take_feedforward(w, "_relation._relation_feedforwards." + rel_ns + ".", 3 * span_dim_);
    const std::string scorer = "_relation._relation_scorers." + rel_ns;
    n_rel_ = rows_of(w, scorer + ".weight");
    relation_out_ = take_linear(w, scorer, n_rel_, relation_ff_.output_dim);

    w.check(path_, "RadGraph weights.th",
            "Expected the AllenNLP state dict of a RadGraph / DyGIE model whose vocabulary "
            "namespaces are '" +
                ner_ns + "' and '" + rel_ns + "'.");
    encoder_->finish_loading();
    unused_ = w.unused({"_coref.", "_events.", prefix_ + "pooler."}, {}).size();
  }

  std::string describe() const override {
    const io::HfEncoderConfig& c = encoder_->config();
    return nlohmann::json{{"kind", "radgraph"},
                          {"weights", path_},
                          {"encoder_prefix", prefix_},
                          {"layers", c.num_layers},
                          {"hidden", c.hidden_size},
                          {"heads", c.num_heads},
                          {"intermediate", c.intermediate_size},
                          {"vocab_size", c.vocab_size},
                          {"max_positions", c.max_position_embeddings},
                          {"max_length", max_length_},
                          {"max_span_width", max_span_width_},
                          {"feature_size", feature_size_},
                          {"spans_per_word", spans_per_word_},
                          {"ner_labels", n_ner_ + 1},
                          {"relation_labels", n_rel_},
                          {"unused_key_count", unused_},
                          {"int8", int8_},
                          {"threads", at::get_num_threads()},
                          {"blas", blas_description()}}
        .dump();
  }

  std::vector<at::Tensor> run(const std::vector<at::Tensor>& inputs) override {
    c10::InferenceMode inference;
    check_inputs(inputs);
    const at::Tensor ids = inputs[0].contiguous(), piece_counts = inputs[1].contiguous();
    const at::Tensor word_pieces = inputs[2].contiguous(), word_counts = inputs[3].contiguous();
    const std::int64_t batch = ids.size(0);
    const at::Tensor words = word_vectors(ids, piece_counts, word_pieces);  // [B, W, H]

    // Spans of every row, in DyGIE's enumeration order.
    const auto* wc = word_counts.data_ptr<std::int64_t>();
    std::vector<std::int64_t> span_counts(static_cast<std::size_t>(batch));
    std::int64_t max_spans = 1;
    for (std::int64_t b = 0; b < batch; ++b) {
      std::int64_t n = 0;
      for (std::int64_t s = 0; s < wc[b]; ++s)
        n += std::min<std::int64_t>(max_span_width_, wc[b] - s);
      span_counts[b] = n;
      max_spans = std::max(max_spans, n);
    }
    const std::int64_t width = words.size(1);
    std::vector<std::int64_t> starts(batch * max_spans, 0), ends(batch * max_spans, 0),
        widths(batch * max_spans, 0);
    for (std::int64_t b = 0; b < batch; ++b) {
      std::int64_t k = b * max_spans;
      for (std::int64_t s = 0; s < wc[b]; ++s) {
        for (std::int64_t e = s; e < std::min<std::int64_t>(wc[b], s + max_span_width_); ++e, ++k) {
          starts[k] = b * width + s;
          ends[k] = b * width + e;
          widths[k] = e - s;
        }
      }
    }
    const at::Tensor flat_words = words.reshape({batch * width, words.size(2)});
    const auto long_tensor = [](const std::vector<std::int64_t>& v) {
      return at::tensor(v, at::TensorOptions().dtype(at::kLong));
    };
    const at::Tensor spans = at::cat({at::index_select(flat_words, 0, long_tensor(starts)),
                                      at::index_select(flat_words, 0, long_tensor(ends)),
                                      at::index_select(width_embedding_, 0, long_tensor(widths))},
                                     1);  // [B * S, D]

    at::Tensor ner = ner_out_(ner_ff_(spans)).view({batch, max_spans, n_ner_});
    at::Tensor mention = mention_out_(mention_ff_(spans)).view({batch, max_spans});
    for (std::int64_t b = 0; b < batch; ++b) {
      if (span_counts[b] < max_spans) {
        ner[b].narrow(0, span_counts[b], max_spans - span_counts[b]).fill_(kMasked);
        mention[b].narrow(0, span_counts[b], max_spans - span_counts[b]).fill_(kMasked);
      }
    }
    ner = at::cat({at::zeros({batch, max_spans, 1}), ner}, 2);

    // Pruning: ceil(words * spans_per_word) in float32, as DyGIE computes it.
    const at::Tensor keep =
        at::ceil(word_counts.to(at::kFloat).mul(spans_per_word_)).to(at::kLong).contiguous();
    const auto* kp = keep.data_ptr<std::int64_t>();
    std::int64_t max_keep = 1;
    for (std::int64_t b = 0; b < batch; ++b) {
      max_keep = std::max(max_keep, std::min(kp[b], span_counts[b]));
    }
    at::Tensor top = at::full({batch, max_keep}, -1.0, at::kFloat);
    at::Tensor relations = at::zeros({batch, max_keep, max_keep, n_rel_ + 1});
    const at::Tensor spans3 = spans.view({batch, max_spans, span_dim_});
    for (std::int64_t b = 0; b < batch; ++b) {
      const std::int64_t k = std::min(kp[b], span_counts[b]);
      if (k <= 0) continue;
      const at::Tensor scores = mention[b].narrow(0, 0, span_counts[b]);
      const at::Tensor chosen = std::get<0>(at::sort(std::get<1>(at::topk(scores, k))));
      top[b].narrow(0, 0, k).copy_(chosen.to(at::kFloat));
      const at::Tensor e = at::index_select(spans3[b], 0, chosen);  // [K, D]
      const at::Tensor s = at::index_select(scores, 0, chosen);     // [K]
      const at::Tensor first = e.unsqueeze(1).expand({k, k, span_dim_});
      const at::Tensor second = e.unsqueeze(0).expand({k, k, span_dim_});
      const at::Tensor pairs =
          at::cat({first, second, first.mul(second)}, 2).view({k * k, 3 * span_dim_});
      at::Tensor r = relation_out_(relation_ff_(pairs)).view({k, k, n_rel_});
      r = r.add(s.view({k, 1, 1}).add(s.view({1, k, 1})));
      relations[b].narrow(0, 0, k).narrow(1, 0, k).narrow(2, 1, n_rel_).copy_(r);
    }
    return {ner, mention, top, relations};
  }

 private:
  void check_inputs(const std::vector<at::Tensor>& in) const {
    const bool ok = in.size() == 4 && in[0].dim() == 2 && in[1].dim() == 1 && in[2].dim() == 3 &&
                    in[3].dim() == 1 && in[2].size(2) == 2 && in[1].size(0) == in[0].size(0) &&
                    in[2].size(0) == in[0].size(0) && in[3].size(0) == in[0].size(0);
    if (!ok) {
      throw rrg::InputError(
          "radgraph: expected piece ids [B, P], piece counts [B], word piece ranges [B, W, 2] "
          "and word counts [B] (int64)");
    }
    for (const at::Tensor& t : in) {
      if (t.scalar_type() != at::kLong) throw rrg::InputError("radgraph: inputs must be int64");
    }
    const io::HfEncoderConfig& c = encoder_->config();
    if (in[0].numel() > 0 && (in[0].min().item<std::int64_t>() < 0 ||
                              in[0].max().item<std::int64_t>() >= c.vocab_size)) {
      throw rrg::InputError("radgraph: a word-piece id is outside the encoder's vocabulary (" +
                            std::to_string(c.vocab_size) + " entries)");
    }
    if (in[3].numel() > 0 && in[3].max().item<std::int64_t>() > in[2].size(1)) {
      throw rrg::InputError("radgraph: a word count exceeds the word dimension");
    }
  }

  // Mean of each word's pieces' final hidden states: [B, W, H].
  at::Tensor word_vectors(const at::Tensor& ids, const at::Tensor& piece_counts,
                          const at::Tensor& word_pieces) const {
    const std::int64_t batch = ids.size(0), pieces = ids.size(1), words = word_pieces.size(1);
    const std::int64_t h = encoder_->config().hidden_size;
    const std::int64_t chunk = max_length_ - 2;
    const auto* id = ids.data_ptr<std::int64_t>();
    const auto* pc = piece_counts.data_ptr<std::int64_t>();
    // Segments: [CLS] up to `chunk` pieces [SEP], each run as its own sequence.
    std::vector<std::int64_t> first_segment(static_cast<std::size_t>(batch));
    std::int64_t segments = 0, longest = 0;
    for (std::int64_t b = 0; b < batch; ++b) {
      first_segment[b] = segments;
      const std::int64_t n = std::max<std::int64_t>(1, (pc[b] + chunk - 1) / chunk);
      segments += n;
      longest = std::max(longest, std::min(chunk, pc[b]));
    }
    const std::int64_t seg_len = longest + 2;
    std::vector<std::int64_t> seg_ids(segments * seg_len, pad_id_), seg_lengths(segments, 2);
    for (std::int64_t b = 0; b < batch; ++b) {
      const std::int64_t n = std::max<std::int64_t>(1, (pc[b] + chunk - 1) / chunk);
      for (std::int64_t g = 0; g < n; ++g) {
        const std::int64_t row = first_segment[b] + g;
        const std::int64_t from = g * chunk,
                           count = std::min(chunk, std::max<std::int64_t>(0, pc[b] - from));
        std::int64_t* out = seg_ids.data() + row * seg_len;
        out[0] = cls_id_;
        for (std::int64_t i = 0; i < count; ++i) out[1 + i] = id[b * pieces + from + i];
        out[1 + count] = sep_id_;
        seg_lengths[row] = count + 2;
      }
    }
    const auto opts = at::TensorOptions().dtype(at::kLong);
    const at::Tensor hidden = encoder_->forward(at::tensor(seg_ids, opts).view({segments, seg_len}),
                                                at::tensor(seg_lengths, opts));
    // Gather each word's pieces (padded to the longest word with a zero row), sum, divide.
    const auto* wp = word_pieces.data_ptr<std::int64_t>();
    std::int64_t widest = 1;
    for (std::int64_t i = 0; i < batch * words; ++i) {
      if (wp[2 * i] >= 0) widest = std::max(widest, wp[2 * i + 1] - wp[2 * i] + 1);
    }
    const std::int64_t zero_row = segments * seg_len;
    std::vector<std::int64_t> gather(batch * words * widest, zero_row);
    std::vector<float> counts(batch * words, 1.0f);
    for (std::int64_t b = 0; b < batch; ++b) {
      for (std::int64_t w = 0; w < words; ++w) {
        const std::int64_t s = wp[2 * (b * words + w)], e = wp[2 * (b * words + w) + 1];
        if (s < 0 || e < s) continue;
        counts[b * words + w] = static_cast<float>(e - s + 1);
        for (std::int64_t p = s; p <= e; ++p) {
          const std::int64_t row = first_segment[b] + p / chunk;
          gather[(b * words + w) * widest + (p - s)] = row * seg_len + 1 + p % chunk;
        }
      }
    }
    const at::Tensor table = at::cat({hidden.reshape({zero_row, h}), at::zeros({1, h})}, 0);
    const at::Tensor sums =
        at::index_select(table, 0, at::tensor(gather, opts)).view({batch, words, widest, h}).sum(2);
    return sums.div(at::tensor(counts).view({batch, words, 1}));
  }

  std::string path_, prefix_;
  bool int8_ = false;
  int max_span_width_ = 0, max_length_ = 0;
  std::int64_t cls_id_ = -1, sep_id_ = -1, pad_id_ = 0;
  double spans_per_word_ = 0;
  std::unique_ptr<HfEncoder> encoder_;
  at::Tensor width_embedding_;
  std::int64_t feature_size_ = 0, span_dim_ = 0, n_ner_ = 0, n_rel_ = 0;
  FeedForward ner_ff_, mention_ff_, relation_ff_;
  Linear ner_out_, mention_out_, relation_out_;
  std::size_t unused_ = 0;
};

}  // namespace

std::unique_ptr<Model> load_radgraph(const Options& options) {
  return std::make_unique<RadGraphModel>(options);
}

}  // namespace rrg::torch_module
