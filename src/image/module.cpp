// The image module's entry point (librrg_image.so, see image_module_abi.h): wraps
// preprocess.h's prepare_image_file and encoder_input.h's read_encoder_input in the C table rrg
// loads. Exceptions never cross the
// boundary; they become status codes with the exception's message.
#include <cstdlib>
#include <cstring>
#include <exception>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/image/encoder_input.h"
#include "rrg/image/image.h"
#include "rrg/image/image_module_abi.h"
#include "rrg/image/preprocess.h"

namespace {

void set_status(rrg_image_status* status, int32_t code, const char* message) {
  status->code = code;
  std::strncpy(status->message, message, RRG_IMAGE_MESSAGE_SIZE - 1);
  status->message[RRG_IMAGE_MESSAGE_SIZE - 1] = '\0';
}

// Runs `body` (which returns false after setting its own error status) and turns its exceptions
// into the status: ImageError (the file) -> FILE_ERROR, InputError (the options) -> INPUT_ERROR,
// anything else -> RUNTIME_ERROR.
template <typename Body>
int32_t guarded(rrg_image_status* status, Body&& body) {
  try {
    if (body()) set_status(status, RRG_IMAGE_OK, "");
  } catch (const rrg::image::ImageError& e) {
    set_status(status, RRG_IMAGE_FILE_ERROR, e.what());
  } catch (const rrg::InputError& e) {
    set_status(status, RRG_IMAGE_INPUT_ERROR, e.what());
  } catch (const std::exception& e) {
    set_status(status, RRG_IMAGE_RUNTIME_ERROR, e.what());
  }
  return status->code;
}

int32_t prepare_file(const char* path, const rrg_image_preprocess* options, rrg_image_encoded* out,
                     rrg_image_status* status) {
  return guarded(status, [&] {
    rrg::image::PreprocessOptions o;
    o.max_side = options->max_side;
    o.max_pixels = options->max_pixels;
    o.encoding =
        options->encoding == 1 ? rrg::image::ImageEncoding::kPng : rrg::image::ImageEncoding::kJpeg;
    o.jpeg_quality = options->jpeg_quality;
    o.depth16 = options->depth16 == 1 ? rrg::image::Depth16Mapping::kFullRange
                                      : rrg::image::Depth16Mapping::kMinMax;
    const rrg::image::EncodedImage encoded = rrg::image::prepare_image_file(path, o);
    out->bytes = static_cast<char*>(std::malloc(encoded.bytes.size() + 1));
    if (out->bytes == nullptr) {
      set_status(status, RRG_IMAGE_RUNTIME_ERROR, "out of memory");
      return false;
    }
    std::memcpy(out->bytes, encoded.bytes.data(), encoded.bytes.size());
    out->size = encoded.bytes.size();
    std::strncpy(out->mime_type, encoded.mime_type.c_str(), sizeof out->mime_type - 1);
    out->mime_type[sizeof out->mime_type - 1] = '\0';
    out->width = encoded.width;
    out->height = encoded.height;
    out->source_width = encoded.source_width;
    out->source_height = encoded.source_height;
    return true;
  });
}

int32_t read_encoder_input(const char* path, const rrg_image_encoder_input* options, float* out,
                           rrg_image_status* status) {
  return guarded(status, [&] {
    rrg::image::EncoderInputOptions o;
    o.size = options->size;
    o.square = options->square == 1 ? rrg::image::SquareMode::kStretch
                                    : rrg::image::SquareMode::kCenterCrop;
    o.depth16 = options->depth16 == 1 ? rrg::image::Depth16Mapping::kFullRange
                                      : rrg::image::Depth16Mapping::kMinMax;
    const std::vector<float> pixels = rrg::image::read_encoder_input(path, o);
    std::memcpy(out, pixels.data(), pixels.size() * sizeof(float));
    return true;
  });
}

void free_encoded(rrg_image_encoded* encoded) {
  std::free(encoded->bytes);
  encoded->bytes = nullptr;
  encoded->size = 0;
}

const rrg_image_module_api kApi = {RRG_IMAGE_MODULE_ABI_VERSION, &prepare_file, &free_encoded,
                                   &read_encoder_input};

}  // namespace

extern "C" __attribute__((visibility("default"))) const rrg_image_module_api* rrg_image_module_init(
    int32_t /*abi_version*/) {
  return &kApi;
}
