// Model kind "torchscript" of librrg_torch.so: an image classifier saved with torch.jit.save
// (traced or scripted, PyTorch <= 1.13 so that Debian's libtorch 1.13 can read it), run in
// inference mode on a float32 NCHW batch. It is what `rrg generate --encoder MODEL.pt` loads
// (torch-free front end: src/pipelines/image_encoder.cpp); preprocessing and the output
// activation happen on rrg's side, so this kind only moves tensors through `forward`.
//
// State: the loaded module (immutable after load) and its file name for messages.
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>
#include <torch/csrc/api/include/torch/version.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "rrg/core/errors.h"
#include "torch_module/torch_model.h"

namespace rrg::torch_module {
namespace {

// The useful sentence of a libtorch message. c10::Error puts it on the first line, before a
// backtrace; the TorchScript interpreter's errors (torch::jit::JITException) start with "The
// following operation failed..." and two tracebacks, and end with the Python-style
// "RuntimeError: <reason>" line.
std::string libtorch_reason(const std::string& text) {
  const std::string marker = "Error: ";
  std::size_t line_start = text.rfind('\n');
  while (line_start != std::string::npos && line_start + 1 >= text.size()) {
    line_start = line_start == 0 ? std::string::npos : text.rfind('\n', line_start - 1);
  }
  const std::string last =
      line_start == std::string::npos ? std::string() : text.substr(line_start + 1);
  const std::size_t at = last.find(marker);
  if (text.rfind("The following operation failed", 0) == 0 && at != std::string::npos) {
    std::string reason = last.substr(at + marker.size());
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    return reason;
  }
  const std::size_t end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

// The first tensor of what forward() returned: a tensor, or a tuple/list starting with one
// (models that also return features).
at::Tensor output_tensor(const c10::IValue& value, const std::string& path) {
  if (value.isTensor()) return value.toTensor();
  if (value.isTuple()) {
    const auto& elements = value.toTupleRef().elements();
    if (!elements.empty() && elements[0].isTensor()) return elements[0].toTensor();
  }
  if (value.isList()) {
    const auto list = value.toList();
    if (list.size() > 0 && list.get(0).isTensor()) return list.get(0).toTensor();
  }
  throw rrg::InputError(path + ": the model's forward() returned " + value.tagKind() +
                        ", not a tensor of scores [batch, observations]");
}

class TorchScriptModel : public Model {
 public:
  explicit TorchScriptModel(const Options& options)
      : path_(required_option(options, "model", "torchscript")) {
    const int threads = int_option(options, "threads", 0);
    if (threads > 0) at::set_num_threads(threads);
    if (!std::ifstream(path_, std::ios::binary)) {
      throw rrg::InputError(path_ + ": cannot open the model file (no such file, or not readable)");
    }
    try {
      module_ = torch::jit::load(path_, c10::Device(c10::kCPU));
    } catch (const c10::Error& e) {
      throw load_error(e.what_without_backtrace());
    } catch (const std::runtime_error& e) {  // the TorchScript deserialiser's own errors
      throw load_error(e.what());
    }
    module_.eval();
    if (!module_.find_method("forward")) {
      throw rrg::InputError(path_ + ": the TorchScript module has no forward() method");
    }
    description_ = nlohmann::json{{"kind", "torchscript"},
                                  {"model", path_},
                                  {"libtorch", TORCH_VERSION},
                                  {"threads", at::get_num_threads()}}
                       .dump();
  }

  rrg::InputError load_error(const std::string& message) const {
    return rrg::InputError(
        path_ + ": not a TorchScript model that libtorch " TORCH_VERSION " can load (" +
        libtorch_reason(message) +
        "). Export it with torch.jit.trace or torch.jit.script and torch.jit.save from PyTorch "
        "<= 1.13; a torch.save checkpoint (state dict or pickled module) is not TorchScript "
        "(see models/README.md)");
  }

  rrg::InputError run_error(const at::Tensor& images, const std::string& message) const {
    return rrg::InputError(path_ + ": the model failed on an input of shape " +
                           shape_text(images.sizes()) + " (" + libtorch_reason(message) +
                           "); check the input size and channels it expects (--encoder-size, "
                           "--encoder-channels)");
  }

  std::string describe() const override { return description_; }

  std::vector<at::Tensor> run(const std::vector<at::Tensor>& inputs) override {
    if (inputs.size() != 1 || inputs[0].dim() != 4 || inputs[0].scalar_type() != at::kFloat) {
      throw rrg::InputError(
          "torchscript: expected one float32 input [batch, channels, height, "
          "width]");
    }
    const at::Tensor& images = inputs[0];
    c10::InferenceMode inference;
    c10::IValue result;
    try {
      result = module_.forward({images});
    } catch (const c10::Error& e) {
      throw run_error(images, e.what_without_backtrace());
    } catch (const std::runtime_error& e) {  // torch::jit::JITException
      throw run_error(images, e.what());
    }
    at::Tensor scores = output_tensor(result, path_);
    if (scores.dim() != 2 || scores.size(0) != images.size(0)) {
      throw rrg::InputError(path_ + ": the model's output has shape " + shape_text(scores.sizes()) +
                            " for a batch of " + std::to_string(images.size(0)) +
                            " image(s); rrg expects [batch, observations]");
    }
    return {scores.to(at::kFloat).contiguous()};
  }

 private:
  std::string path_;
  torch::jit::Module module_;
  std::string description_;
};

}  // namespace

std::unique_ptr<Model> load_torchscript(const Options& options) {
  return std::make_unique<TorchScriptModel>(options);
}

}  // namespace rrg::torch_module
