// Turning a decoded image into what a vision-language model server receives: 8-bit samples,
// a size within the model's pixel budget, and a compact JPEG or PNG encoding.
//
// 16-bit to 8-bit mapping (`Depth16Mapping`), for 16-bit PNGs (DICOM files are already rendered
// to 8 bits through their VOI window, see dicom_reader.h):
//   kMinMax (default)  v8 = round(255 * (v - min) / (max - min)), min/max over the whole image.
//                      16-bit exports of radiographs rarely use the full 0..65535 range (12-bit
//                      data tops out at 4095), so a fixed scale would send a nearly black image.
//                      A constant image (max == min) falls back to kFullRange.
//   kFullRange         v8 = round(255 * v / 65535), for files that do span the full range.
// Rounding is half-up. Servers cannot be left to do this: PIL's convert("RGB") clips 16-bit
// values above 255, which turns almost every pixel white.
//
// Resizing keeps the aspect ratio and only ever shrinks: with
//   s = min(1, max_side / longer side, sqrt(max_pixels / (width * height)))
// each side becomes max(1, floor(side * s)) (a limit of 0 is ignored), so both limits hold; the
// filter is OpenCV's INTER_AREA (pixel-area averaging, the right one for downscaling). The defaults
// follow Qwen2-VL / Qwen2.5-VL: their processors' recommended max_pixels is 1280*28*28 = 1,003,520
// (the model's "1280 visual tokens" budget, one token per 28x28 patch) and the server rounds
// whatever it receives to multiples of 28 itself, so rrg does not. max_side 2048 matches OpenAI's
// documented limit for the longer side.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "rrg/image/image.h"
#include "rrg/image/preprocess_options.h"

namespace rrg::image {

// 8-bit copy of `image` (unchanged when it is already 8-bit).
Image to_8bit(const Image& image, Depth16Mapping mapping);

// The output size for a width x height image (see the file comment); at least 1x1.
std::pair<int, int> fitted_size(int width, int height, int max_side, std::int64_t max_pixels);

// Shrinks `image` to fitted_size (returns a copy when it already fits).
Image resize_to_fit(const Image& image, int max_side, std::int64_t max_pixels);

// Encodes an 8-bit image. Throws std::invalid_argument for a 16-bit image.
EncodedImage encode_image(const Image& image, ImageEncoding encoding, int jpeg_quality);

// to_8bit, resize_to_fit and encode_image in one step.
EncodedImage preprocess_image(const Image& image, const PreprocessOptions& options);

// read_image + preprocess_image. Throws ImageError for unreadable files.
EncodedImage prepare_image_file(const std::string& path, const PreprocessOptions& options);

}  // namespace rrg::image
