// Image files through the image module (librrg_image.so: OpenCV + DCMTK), loaded on first use so
// commands that never read an image start fast (see image_module_abi.h for why).
#pragma once

#include <string>
#include <vector>

#include "rrg/image/preprocess_options.h"

namespace rrg::image {

// Loads the image module now (it is otherwise loaded by the first image). Throws
// std::runtime_error saying where it was looked for and what to do when it cannot be loaded.
void load_image_module();

// Reads `path` (JPEG, PNG 8/16-bit, DICOM), converts it to 8 bits, resizes and encodes it, as
// preprocess.h's prepare_image_file does, but in the image module. Throws ImageError for a file
// that cannot be used, InputError for bad options, std::runtime_error when the module cannot be
// loaded (the message says where it was looked for and what to do).
EncodedImage prepare_image_file_in_module(const std::string& path,
                                          const PreprocessOptions& options);

// Reads `path` as an image-classifier input (encoder_input.h's read_encoder_input) in the image
// module: size * size float samples in [0, 255]. Throws like prepare_image_file_in_module.
std::vector<float> read_encoder_input_in_module(const std::string& path,
                                                const EncoderInputOptions& options);

}  // namespace rrg::image
