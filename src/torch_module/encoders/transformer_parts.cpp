// Shared BERT-family building blocks (see transformer_parts.h). The arithmetic is CheXbert's
// (moved here unchanged), so its numbers stay identical.
#include "torch_module/encoders/transformer_parts.h"

#include <ATen/Parallel.h>
#include <ATen/ops/addmm.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/layer_norm.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/softmax.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "rrg/core/errors.h"
#include "torch_module/torch_model.h"

namespace rrg::torch_module {
namespace {

std::string strip(const std::string& name, const std::string& prefix) {
  return !prefix.empty() && name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

// Old TF-converted BERT checkpoints call LayerNorm parameters gamma/beta.
std::string layer_norm_alias(const std::string& key) {
  if (key.find("LayerNorm.") == std::string::npos && key.find("layer_norm.") == std::string::npos) {
    return "";
  }
  const std::size_t dot = key.rfind('.');
  const std::string last = key.substr(dot + 1);
  if (last == "weight") return key.substr(0, dot) + ".gamma";
  if (last == "bias") return key.substr(0, dot) + ".beta";
  return "";
}

}  // namespace

WeightTable::WeightTable(StateDict&& state, const std::string& strip_prefix) {
  for (auto& [name, tensor] : state.tensors) {
    const std::string key = strip(name, strip_prefix);
    order_.push_back(key);
    shapes_[key] = tensor.sizes().vec();
    tensors_[key] = std::move(tensor);
  }
}

WeightTable::WeightTable(std::unique_ptr<SafetensorsFile> file, const std::string& strip_prefix)
    : file_(std::move(file)) {
  for (const std::string& name : file_->names()) {
    const std::string key = strip(name, strip_prefix);
    order_.push_back(key);
    shapes_[key] = file_->entries().at(name).shape;
    file_names_[key] = name;
  }
}

WeightTable::~WeightTable() = default;

std::string WeightTable::resolve(const std::string& key) const {
  if (shapes_.count(key)) return key;
  const std::string alias = layer_norm_alias(key);
  return !alias.empty() && shapes_.count(alias) ? alias : "";
}

std::optional<std::vector<std::int64_t>> WeightTable::shape(const std::string& key) const {
  const std::string name = resolve(key);
  if (name.empty()) return std::nullopt;
  return shapes_.at(name);
}

std::optional<std::vector<std::int64_t>> WeightTable::matrix(const std::string& key) {
  const auto s = shape(key);
  if (!s) {
    missing_.push_back(key);
  } else if (s->size() != 2) {
    wrong_.push_back(key + " is " + shape_text(*s) + ", expected a matrix");
    return std::nullopt;
  }
  return s;
}

at::Tensor WeightTable::take(const std::string& key, std::vector<std::int64_t> shape) {
  const std::string name = resolve(key);
  if (name.empty()) {
    missing_.push_back(key);
    return {};
  }
  used_.insert(name);
  if (shapes_.at(name) != shape) {
    wrong_.push_back(key + " is " + shape_text(shapes_.at(name)) + ", expected " +
                     shape_text(shape));
    return {};
  }
  if (file_) {
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(at::kFloat));
    file_->read_float32(file_names_.at(name), t.data_ptr<float>());
    return t;
  }
  return tensors_.at(name).to(at::kFloat).contiguous();
}

void WeightTable::check(const std::string& path, const std::string& what,
                        const std::string& hint) const {
  if (missing_.empty() && wrong_.empty()) return;
  std::string message = path + " is not a usable " + what + ":";
  if (!missing_.empty()) {
    message += " missing keys (" + std::to_string(missing_.size()) + "): " + list_text(missing_);
    if (!wrong_.empty()) message += ";";
  }
  if (!wrong_.empty()) message += " wrong shapes: " + list_text(wrong_);
  message += ". " + hint;
  throw rrg::InputError(message);
}

int WeightTable::layer_count(const std::string& prefix) const {
  int count = 0;
  for (const auto& key : order_) {
    if (key.rfind(prefix, 0) != 0) continue;
    count = std::max(count, 1 + std::atoi(key.c_str() + prefix.size()));
  }
  return count;
}

bool WeightTable::has_prefix(const std::string& prefix) const {
  for (const auto& key : order_) {
    if (key.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::vector<std::string> WeightTable::unused(const std::vector<std::string>& ignored_prefixes,
                                             const std::vector<std::string>& ignored_keys) const {
  std::vector<std::string> out;
  for (const auto& key : order_) {
    if (used_.count(key)) continue;
    bool ignored = std::find(ignored_keys.begin(), ignored_keys.end(), key) != ignored_keys.end();
    for (const auto& p : ignored_prefixes) ignored = ignored || key.rfind(p, 0) == 0;
    if (!ignored) out.push_back(key);
  }
  return out;
}

at::Tensor Linear::operator()(const at::Tensor& x) const {
  if (!int8) return at::addmm(bias, x, weight.t());
  const at::Tensor in = x.contiguous();
  const std::int64_t rows = in.size(0);
  // Quantising the activations costs 1/n of the product: one thread, so the product is the
  // only parallel region (each region waits for every thread; on busy machines that adds up).
  Int8Rows q;
  prepare_rows(rows, int8->k, q);
  quantize_rows(in.data_ptr<float>(), int8->k, 0, rows, q);
  at::Tensor out = at::empty({rows, int8->n}, in.options());
  float* dst = out.data_ptr<float>();
  at::parallel_for(0, int8_column_blocks(*int8), 1, [&](std::int64_t begin, std::int64_t end) {
    int8_matmul(q, *int8, dst, begin, end);
  });
  return out;
}

void Linear::quantize() {
  int8 = std::make_shared<const Int8Weights>(quantize_weights(
      weight.data_ptr<float>(), bias.data_ptr<float>(), weight.size(0), weight.size(1)));
  weight = at::Tensor();
}

at::Tensor LayerNorm::operator()(const at::Tensor& x) const {
  return at::layer_norm(x, {weight.size(0)}, weight, bias, eps);
}

Linear take_linear(WeightTable& w, const std::string& prefix, std::int64_t out, std::int64_t in) {
  return {w.take(prefix + ".weight", {out, in}), w.take(prefix + ".bias", {out})};
}

LayerNorm take_norm(WeightTable& w, const std::string& prefix, std::int64_t size, double eps) {
  return {w.take(prefix + ".weight", {size}), w.take(prefix + ".bias", {size}), eps};
}

Linear stack_linears(const std::vector<Linear>& parts) {
  std::vector<at::Tensor> weights, biases;
  for (const Linear& p : parts) {
    weights.push_back(p.weight);
    biases.push_back(p.bias);
  }
  return {at::cat(weights), at::cat(biases)};
}

void quantize_all(const std::vector<Linear*>& linears) {
  at::parallel_for(0, static_cast<std::int64_t>(linears.size()), 1,
                   [&](std::int64_t begin, std::int64_t end) {
                     for (std::int64_t i = begin; i < end; ++i) linears[i]->quantize();
                   });
}

namespace {

at::Tensor attention_of(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                        const at::Tensor& mask_bias) {
  at::Tensor scores = at::matmul(q, k.transpose(-1, -2));
  scores.div_(std::sqrt(static_cast<double>(q.size(-1)))).add_(mask_bias);
  return at::matmul(at::softmax(scores, -1), v);
}

}  // namespace

at::Tensor scaled_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            const at::Tensor& mask_bias) {
  const std::int64_t batch = q.size(0);
  if (batch < 2 * static_cast<std::int64_t>(at::get_num_threads())) {
    return attention_of(q, k, v, mask_bias);
  }
  // libtorch multiplies the batch x heads small matrices one after another, each split across
  // every thread by OpenBLAS, whose threads then wait for each other (futex, sched_yield) for
  // every head. Giving each thread whole rows of the batch instead runs every product on one
  // thread (OpenBLAS does not split inside a parallel region).
  at::Tensor out = at::empty({batch, q.size(1), q.size(2), v.size(3)}, q.options());
  at::parallel_for(0, batch, 1, [&](std::int64_t begin, std::int64_t end) {
    c10::InferenceMode inference;  // per thread, as the caller's
    out.narrow(0, begin, end - begin)
        .copy_(attention_of(q.narrow(0, begin, end - begin), k.narrow(0, begin, end - begin),
                            v.narrow(0, begin, end - begin),
                            mask_bias.narrow(0, begin, end - begin)));
  });
  return out;
}

std::string list_text(const std::vector<std::string>& items, std::size_t max_items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max_items; ++i) {
    out += (i ? ", " : "") + items[i];
  }
  if (items.size() > max_items) out += " and " + std::to_string(items.size() - max_items) + " more";
  return out;
}

}  // namespace rrg::torch_module
