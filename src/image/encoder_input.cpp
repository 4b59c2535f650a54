// The image-classifier input with OpenCV (see encoder_input.h for the convention and where it
// comes from).
#include "rrg/image/encoder_input.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "opencv_image.h"
#include "rrg/core/errors.h"
#include "rrg/image/image.h"
#include "rrg/image/image_reader.h"
#include "rrg/image/preprocess.h"

namespace rrg::image {
namespace {

constexpr int kMaxSize = 4096;

// The 8-bit image as float32 gray: the mean of the channels (sum first, exact for 8-bit samples,
// then one division, as numpy's float32 mean over three values does).
cv::Mat gray_float(const Image& eight) {
  cv::Mat gray(eight.height, eight.width, CV_32FC1);
  const std::uint8_t* in = eight.data.data();
  const int channels = eight.channels;
  for (int y = 0; y < eight.height; ++y) {
    float* out = gray.ptr<float>(y);
    for (int x = 0; x < eight.width; ++x, in += channels) {
      if (channels == 1) {
        out[x] = static_cast<float>(in[0]);
      } else {
        float sum = 0;
        for (int c = 0; c < channels; ++c) sum += static_cast<float>(in[c]);
        out[x] = sum / static_cast<float>(channels);
      }
    }
  }
  return gray;
}

}  // namespace

std::vector<float> encoder_input(const Image& image, const EncoderInputOptions& options) {
  if (options.size < 1 || options.size > kMaxSize) {
    throw InputError("the encoder input size must be between 1 and " + std::to_string(kMaxSize) +
                     " pixels, got " + std::to_string(options.size));
  }
  if (image.empty()) throw std::invalid_argument("encoder_input: empty image");
  const cv::Mat gray = gray_float(to_8bit(image, options.depth16));
  cv::Mat square = gray;
  if (options.square == SquareMode::kCenterCrop) {
    // torchxrayvision XRayCenterCrop: start = side_length // 2 - crop // 2.
    const int crop = std::min(gray.cols, gray.rows);
    const int x0 = gray.cols / 2 - crop / 2;
    const int y0 = gray.rows / 2 - crop / 2;
    square = gray(cv::Rect(x0, y0, crop, crop));
  }
  cv::Mat resized;
  if (square.cols == options.size && square.rows == options.size) {
    resized = square;
  } else {
    cv::resize(square, resized, cv::Size(options.size, options.size), 0, 0, cv::INTER_AREA);
  }
  std::vector<float> out(static_cast<std::size_t>(options.size) * options.size);
  for (int y = 0; y < options.size; ++y) {
    const float* row = resized.ptr<float>(y);
    std::copy(row, row + options.size, out.begin() + static_cast<std::ptrdiff_t>(y) * options.size);
  }
  return out;
}

std::vector<float> read_encoder_input(const std::string& path, const EncoderInputOptions& options) {
  return encoder_input(read_image(path), options);
}

}  // namespace rrg::image
