// Private to src/image: moving pixels between rrg::image::Image and cv::Mat. Kept out of
// include/ so that no public header pulls in OpenCV.
#pragma once

#include <cstring>

#include <opencv2/core.hpp>

#include "rrg/image/image.h"

namespace rrg::image::detail {

// A Mat header over the image's bytes, without copying. Channel order stays as in Image (RGB).
inline cv::Mat as_mat(const Image& image) {
  const int type = CV_MAKETYPE(image.bit_depth == 16 ? CV_16U : CV_8U, image.channels);
  return cv::Mat(image.height, image.width, type, const_cast<std::uint8_t*>(image.data.data()));
}

// Copies an 8- or 16-bit, 1- or 3-channel Mat (rows may be padded) into an Image.
inline Image to_image(const cv::Mat& mat) {
  Image image = make_image(mat.cols, mat.rows, mat.channels(), mat.depth() == CV_16U ? 16 : 8);
  const std::size_t row_bytes = image.byte_size() / static_cast<std::size_t>(image.height);
  for (int y = 0; y < mat.rows; ++y) {
    std::memcpy(image.data.data() + row_bytes * static_cast<std::size_t>(y), mat.ptr(y), row_bytes);
  }
  return image;
}

}  // namespace rrg::image::detail
