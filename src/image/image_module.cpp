// Loading the image module on first use and calling it (see image_module.h). The module is
// loaded once per process (rrg::LoadedModule); a failed load is remembered and its message
// repeated.
#include "rrg/image/image_module.h"

#include <stdexcept>

#include "rrg/core/module_loader.h"
#include "rrg/image/image.h"
#include "rrg/image/image_module_abi.h"

namespace rrg::image {
namespace {

const rrg_image_module_api* module_api() {
  static LoadedModule module({"librrg_image.so", "RRG_IMAGE_MODULE", RRG_IMAGE_MODULE_INIT_SYMBOL,
                              "image module (OpenCV, DCMTK)"});
  return static_cast<const rrg_image_module_api*>(module.get([](void* init) -> const void* {
    const rrg_image_module_api* table =
        reinterpret_cast<rrg_image_module_init_fn>(init)(RRG_IMAGE_MODULE_ABI_VERSION);
    if (table == nullptr || table->abi_version != RRG_IMAGE_MODULE_ABI_VERSION) {
      throw std::runtime_error(
          "incompatible image module " + module_path(module.spec()) +
          " (module: " + std::to_string(table == nullptr ? -1 : table->abi_version) +
          ", rrg: " + std::to_string(RRG_IMAGE_MODULE_ABI_VERSION) +
          "); rebuild rrg so both come from the same build");
    }
    return table;
  }));
}

// Turns a failed call's status into the matching exception.
[[noreturn]] void throw_status(int32_t code, const rrg_image_status& status,
                               const std::string& path) {
  if (code == RRG_IMAGE_FILE_ERROR) {
    // The module formats ImageError's what() as "PATH: problem"; keep only the problem.
    std::string message = status.message;
    if (message.rfind(path + ": ", 0) == 0) message = message.substr(path.size() + 2);
    throw ImageError(path, message);
  }
  if (code == RRG_IMAGE_INPUT_ERROR) throw InputError(status.message);
  throw std::runtime_error(status.message);
}

}  // namespace

void load_image_module() {
  (void)module_api();
}

EncodedImage prepare_image_file_in_module(const std::string& path,
                                          const PreprocessOptions& options) {
  const rrg_image_module_api* api = module_api();
  const rrg_image_preprocess c_options{
      options.max_side, options.max_pixels, options.encoding == ImageEncoding::kPng ? 1 : 0,
      options.jpeg_quality, options.depth16 == Depth16Mapping::kFullRange ? 1 : 0};
  rrg_image_encoded encoded{};
  rrg_image_status status{};
  const int32_t code = api->prepare_file(path.c_str(), &c_options, &encoded, &status);
  if (code != RRG_IMAGE_OK) throw_status(code, status, path);
  EncodedImage out;
  out.mime_type = encoded.mime_type;
  out.bytes.assign(encoded.bytes, encoded.size);
  out.width = encoded.width;
  out.height = encoded.height;
  out.source_width = encoded.source_width;
  out.source_height = encoded.source_height;
  api->free_encoded(&encoded);
  return out;
}

std::vector<float> read_encoder_input_in_module(const std::string& path,
                                                const EncoderInputOptions& options) {
  const rrg_image_module_api* api = module_api();
  if (options.size < 1 || options.size > 4096) {
    throw InputError("the encoder input size must be between 1 and 4096 pixels, got " +
                     std::to_string(options.size));
  }
  const rrg_image_encoder_input c_options{options.size,
                                          options.square == SquareMode::kStretch ? 1 : 0,
                                          options.depth16 == Depth16Mapping::kFullRange ? 1 : 0};
  std::vector<float> out(static_cast<std::size_t>(options.size) * options.size);
  rrg_image_status status{};
  const int32_t code = api->read_encoder_input(path.c_str(), &c_options, out.data(), &status);
  if (code != RRG_IMAGE_OK) throw_status(code, status, path);
  return out;
}

}  // namespace rrg::image
