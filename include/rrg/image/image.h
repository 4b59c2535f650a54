// The in-memory image that rrg's readers produce and its preprocessing consumes.
//
// Deliberately a plain struct of bytes, free of OpenCV and DCMTK types, so that the pipelines
// and tools that pass images around compile without those heavy headers (they stay inside
// src/image). Readers keep the depth of the file (16-bit PNGs stay 16-bit); conversion to 8 bits
// is an explicit preprocessing step (preprocess.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rrg/core/errors.h"

namespace rrg::image {

struct Image {
  int width = 0;
  int height = 0;
  // 1 = grayscale, 3 = colour in R, G, B order.
  int channels = 0;
  // Bits per sample: 8 or 16.
  int bit_depth = 8;
  // Rows top to bottom, samples of a pixel interleaved, no row padding. 16-bit samples are
  // stored in host byte order (read them with sample16()).
  std::vector<std::uint8_t> data;

  std::size_t bytes_per_sample() const { return bit_depth == 16 ? 2 : 1; }
  std::size_t byte_size() const;
  // Sample `channel` of pixel (x, y) as an integer (0..255 or 0..65535).
  int sample(int x, int y, int channel = 0) const;
  bool empty() const { return width == 0 || height == 0; }
};

// Allocates a zero-filled image; throws std::invalid_argument for impossible shapes.
Image make_image(int width, int height, int channels, int bit_depth);

// "2048x2500 gray 16-bit", for messages and logs.
std::string describe(const Image& image);

// A file that cannot be read as an image (missing, unreadable, corrupt, unsupported). It is an
// InputError about one file: pipelines turn it into an error record for the study that needed the
// image instead of stopping the run. what() is "PATH: problem".
class ImageError : public InputError {
 public:
  ImageError(const std::string& path, const std::string& problem);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace rrg::image
