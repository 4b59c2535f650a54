// Inside librrg_torch.so: the C++ interface every model kind implements, and the factory of each
// kind (one line per kind; module.cpp maps kind names to them). Only the module's own sources
// include this header, because it pulls in ATen.
#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rrg::torch_module {

using Options = std::map<std::string, std::string>;

class Model {
 public:
  virtual ~Model() = default;

  // A JSON object describing the loaded model (sizes, file format, ...).
  virtual std::string describe() const = 0;

  // Runs the model; inputs and outputs as documented for the kind in torch_module_abi.h.
  // Throws rrg::InputError for unusable inputs.
  virtual std::vector<at::Tensor> run(const std::vector<at::Tensor>& inputs) = 0;
};

// The value of a required option; throws rrg::InputError naming `kind` when it is missing.
std::string required_option(const Options& options, const std::string& key,
                            const std::string& kind);

// An integer option (a missing or empty value gives `fallback`); throws rrg::InputError when the
// value is not an integer.
int int_option(const Options& options, const std::string& key, int fallback);

// A tensor shape for messages: "[2, 3]".
std::string shape_text(at::IntArrayRef shape);

// What libtorch computes matrix products with, e.g. "OpenBLAS 0.3.21 ... (openmp)", or a warning
// naming the slow reference BLAS (see docs/chexbert.md, "Threads and BLAS").
std::string blas_description();
// The kernels OpenBLAS chose ("SkylakeX", "Haswell", "Prescott", ...; OPENBLAS_CORETYPE or the
// CPU model decide), or "" when libtorch does not run on OpenBLAS.
std::string blas_core();

// Model kinds.
std::unique_ptr<Model> load_chexbert(
    const Options& options);  // src/labelers/chexbert/chexbert_torch.cpp
std::unique_ptr<Model> load_torchscript(const Options& options);  // torchscript_model.cpp
std::unique_ptr<Model> load_hf_encoder(const Options& options);   // encoders/hf_encoder.cpp
std::unique_ptr<Model> load_radgraph(
    const Options& options);  // src/labelers/radgraph/radgraph_torch.cpp

}  // namespace rrg::torch_module
