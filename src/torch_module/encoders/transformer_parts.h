// Inside librrg_torch.so: the pieces every BERT-family encoder is built from, shared by the
// CheXbert labeler (src/labelers/chexbert/chexbert_torch.cpp) and the Hugging Face encoders
// (hf_encoder.cpp): a table of checkpoint tensors handed out with shape checks, linear layers
// (float32 through BLAS, or rrg's dynamic int8 kernel), layer norms, and attention.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "torch_module/checkpoint.h"
#include "torch_module/int8_gemm.h"
#include "torch_module/safetensors.h"

namespace rrg::torch_module {

// The tensors of a checkpoint by name, each handed out once with a shape check; every missing
// key and wrong shape is recorded so one error can list them all. Tensors of a torch.save file
// are in memory already; those of a safetensors file are read when taken.
class WeightTable {
 public:
  // `strip_prefix` is removed from names that start with it (DataParallel's "module.").
  explicit WeightTable(StateDict&& state, const std::string& strip_prefix = "module.");
  explicit WeightTable(std::unique_ptr<SafetensorsFile> file,
                       const std::string& strip_prefix = "module.");
  ~WeightTable();

  // The shape of `key` (old TF-converted checkpoints' LayerNorm gamma/beta accepted for
  // weight/bias), or nullopt.
  std::optional<std::vector<std::int64_t>> shape(const std::string& key) const;

  // The shape of a 2-D tensor whose sizes define the model, or nullopt (recorded as a problem).
  std::optional<std::vector<std::int64_t>> matrix(const std::string& key);

  // The tensor as contiguous float32, or an undefined tensor (recorded) when it is missing or
  // not of `shape`.
  at::Tensor take(const std::string& key, std::vector<std::int64_t> shape);

  // Throws one rrg::InputError "<path> is not a usable <what>: missing keys (...); wrong
  // shapes: ... <hint>" when take() or matrix() recorded problems.
  void check(const std::string& path, const std::string& what, const std::string& hint) const;

  // One more than the highest N of any "<prefix>N." key, so a layer missing from the middle is
  // reported by take() instead of silently cutting the model short.
  int layer_count(const std::string& prefix) const;

  // Keys never taken, except those starting with one of `ignored_prefixes` or equal to one of
  // `ignored_keys`.
  std::vector<std::string> unused(const std::vector<std::string>& ignored_prefixes,
                                  const std::vector<std::string>& ignored_keys) const;

  // True when any key starts with `prefix`.
  bool has_prefix(const std::string& prefix) const;

 private:
  std::string resolve(const std::string& key) const;  // the stored name, or ""

  std::map<std::string, at::Tensor> tensors_;                // torch.save: in memory
  std::map<std::string, std::string> file_names_;            // safetensors: key -> name in file
  std::map<std::string, std::vector<std::int64_t>> shapes_;  // every key
  std::unique_ptr<SafetensorsFile> file_;
  std::vector<std::string> order_;
  std::set<std::string> used_;
  std::vector<std::string> missing_, wrong_;
};

// y = x W^T + b for x [rows, in]: float32 through BLAS, or int8 once quantize() ran.
struct Linear {
  Linear() = default;
  Linear(at::Tensor w, at::Tensor b) : weight(std::move(w)), bias(std::move(b)) {}

  at::Tensor weight;  // [out, in]; released by quantize()
  at::Tensor bias;    // [out]
  std::shared_ptr<const Int8Weights> int8;

  at::Tensor operator()(const at::Tensor& x) const;
  void quantize();
};

struct LayerNorm {
  at::Tensor weight, bias;
  double eps = 1e-12;
  at::Tensor operator()(const at::Tensor& x) const;
};

Linear take_linear(WeightTable& w, const std::string& prefix, std::int64_t out, std::int64_t in);
LayerNorm take_norm(WeightTable& w, const std::string& prefix, std::int64_t size, double eps);

// Stacks linears that read the same input (query, key, value) into one matrix product.
Linear stack_linears(const std::vector<Linear>& parts);

// Quantises every linear of `linears` to int8 in parallel (their float weights are released).
void quantize_all(const std::vector<Linear*>& linears);

// softmax(q k^T / sqrt(d) + mask_bias) v for q [B, heads, Lq, d], k and v [B, heads, L, d] and
// an additive mask [B, 1, 1, L].
at::Tensor scaled_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            const at::Tensor& mask_bias);

// "a, b, c and 5 more".
std::string list_text(const std::vector<std::string>& items, std::size_t max_items = 8);

}  // namespace rrg::torch_module
