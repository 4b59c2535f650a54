// What a vision-language model server should receive from an image file: the preprocessing
// options (8-bit mapping, size budget, encoding) and the encoded result. Plain types with no
// OpenCV or DCMTK, shared by the CLI, the generate pipeline and the image module that does the
// work (image_module.h, preprocess.h documents the conventions).
#pragma once

#include <cstdint>
#include <string>

namespace rrg::image {

enum class Depth16Mapping { kMinMax, kFullRange };
enum class ImageEncoding { kJpeg, kPng };

struct PreprocessOptions {
  // Longest side after resizing, in pixels; 0 = no limit.
  int max_side = 2048;
  // Width x height after resizing; 0 = no limit. Default 1280*28*28 (see preprocess.h).
  std::int64_t max_pixels = 1003520;
  // JPEG (lossy, small) or PNG (lossless, larger).
  ImageEncoding encoding = ImageEncoding::kJpeg;
  // JPEG quality 1..100 (libjpeg scale); ignored for PNG.
  int jpeg_quality = 95;
  // How 16-bit images become 8-bit.
  Depth16Mapping depth16 = Depth16Mapping::kMinMax;
};

struct EncodedImage {
  std::string mime_type;  // "image/jpeg" or "image/png"
  std::string bytes;      // the encoded file
  int width = 0;          // size after resizing
  int height = 0;
  int source_width = 0;  // size as read
  int source_height = 0;
};

// The image-classifier input of `rrg generate --encoder` (encoder_input.h documents the
// convention): a size x size grayscale square, centre-cropped (torchxrayvision) or stretched.
enum class SquareMode { kCenterCrop, kStretch };

struct EncoderInputOptions {
  // Side of the square output, in pixels (1..4096).
  int size = 224;
  SquareMode square = SquareMode::kCenterCrop;
  // How 16-bit PNGs become 8-bit.
  Depth16Mapping depth16 = Depth16Mapping::kMinMax;
};

// Parses "jpeg"/"jpg"/"png" and "minmax"/"full"; throws InputError naming the accepted values.
ImageEncoding parse_image_encoding(const std::string& name);
Depth16Mapping parse_depth16_mapping(const std::string& name);
// Parses "crop" / "stretch"; throws InputError naming the accepted values.
SquareMode parse_square_mode(const std::string& name);

}  // namespace rrg::image
