// 8-bit conversion, resizing and encoding with OpenCV (see preprocess.h). The steps work on
// cv::Mat views so that preprocess_image copies pixels only when a step changes them.
#include "rrg/image/preprocess.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "opencv_image.h"
#include "rrg/image/image_reader.h"

namespace rrg::image {
namespace {

// Integer division rounding half up, for non-negative operands.
std::uint8_t div_round(std::uint64_t numerator, std::uint64_t denominator) {
  return static_cast<std::uint8_t>((2 * numerator + denominator) / (2 * denominator));
}

cv::Mat mat_to_8bit(const cv::Mat& mat, Depth16Mapping mapping) {
  if (mat.depth() == CV_8U) return mat;
  std::uint32_t low = 0, high = 65535;
  if (mapping == Depth16Mapping::kMinMax) {
    double min_value = 0, max_value = 0;
    cv::minMaxLoc(mat.reshape(1), &min_value, &max_value);
    if (max_value > min_value) {
      low = static_cast<std::uint32_t>(min_value);
      high = static_cast<std::uint32_t>(max_value);
    }
  }
  // One table entry per possible value: cheaper than dividing per sample.
  std::vector<std::uint8_t> table(65536);
  for (std::uint32_t v = 0; v <= 65535; ++v) {
    table[v] = v <= low ? 0 : v >= high ? 255 : div_round(std::uint64_t{v - low} * 255, high - low);
  }
  cv::Mat out(mat.rows, mat.cols, CV_MAKETYPE(CV_8U, mat.channels()));
  const int row_samples = mat.cols * mat.channels();
  for (int y = 0; y < mat.rows; ++y) {
    const auto* in_row = mat.ptr<std::uint16_t>(y);
    auto* out_row = out.ptr<std::uint8_t>(y);
    for (int i = 0; i < row_samples; ++i) out_row[i] = table[in_row[i]];
  }
  return out;
}

cv::Mat mat_resize_to_fit(const cv::Mat& mat, int max_side, std::int64_t max_pixels) {
  const auto [w, h] = fitted_size(mat.cols, mat.rows, max_side, max_pixels);
  if (w == mat.cols && h == mat.rows) return mat;
  cv::Mat resized;
  cv::resize(mat, resized, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  return resized;
}

EncodedImage mat_encode(const cv::Mat& rgb, ImageEncoding encoding, int jpeg_quality) {
  if (rgb.depth() != CV_8U) throw std::invalid_argument("encode_image: convert to 8 bits first");
  // OpenCV's encoders expect BGR order. The conversion needs a new buffer: `rgb` may be a view of
  // the caller's const image.
  cv::Mat bgr;
  if (rgb.channels() == 3) {
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  } else {
    bgr = rgb;
  }
  EncodedImage out;
  std::vector<int> params;
  const char* extension = ".png";
  out.mime_type = "image/png";
  if (encoding == ImageEncoding::kJpeg) {
    extension = ".jpg";
    out.mime_type = "image/jpeg";
    params = {cv::IMWRITE_JPEG_QUALITY, std::clamp(jpeg_quality, 1, 100)};
  }
  std::vector<std::uint8_t> buffer;
  if (!cv::imencode(extension, bgr, buffer, params)) {
    throw std::runtime_error("OpenCV could not encode a " + std::to_string(rgb.cols) + "x" +
                             std::to_string(rgb.rows) + " image as " + out.mime_type);
  }
  out.bytes.assign(buffer.begin(), buffer.end());
  out.width = out.source_width = rgb.cols;
  out.height = out.source_height = rgb.rows;
  return out;
}

}  // namespace

Image to_8bit(const Image& image, Depth16Mapping mapping) {
  if (image.bit_depth == 8) return image;
  return detail::to_image(mat_to_8bit(detail::as_mat(image), mapping));
}

std::pair<int, int> fitted_size(int width, int height, int max_side, std::int64_t max_pixels) {
  double scale = 1.0;
  const int longer = std::max(width, height);
  if (max_side > 0 && longer > max_side) scale = std::min(scale, double(max_side) / longer);
  const double area = double(width) * double(height);
  if (max_pixels > 0 && area > double(max_pixels)) {
    scale = std::min(scale, std::sqrt(double(max_pixels) / area));
  }
  if (scale >= 1.0) return {width, height};
  // The epsilon keeps an exact limit (2048 / 4096 * 4096) from flooring to 2047; the loop below
  // repairs the rare case where rounding overshoots a limit.
  int w = std::max(1, static_cast<int>(std::floor(width * scale + 1e-9)));
  int h = std::max(1, static_cast<int>(std::floor(height * scale + 1e-9)));
  auto too_big = [&] {
    return (max_side > 0 && std::max(w, h) > max_side) ||
           (max_pixels > 0 && std::int64_t{w} * h > max_pixels);
  };
  while (too_big() && (w > 1 || h > 1)) {
    if (w >= h) {
      --w;
    } else {
      --h;
    }
  }
  return {w, h};
}

Image resize_to_fit(const Image& image, int max_side, std::int64_t max_pixels) {
  const cv::Mat view = detail::as_mat(image);
  const cv::Mat resized = mat_resize_to_fit(view, max_side, max_pixels);
  if (resized.data == view.data) return image;
  return detail::to_image(resized);
}

EncodedImage encode_image(const Image& image, ImageEncoding encoding, int jpeg_quality) {
  return mat_encode(detail::as_mat(image), encoding, jpeg_quality);
}

EncodedImage preprocess_image(const Image& image, const PreprocessOptions& options) {
  const cv::Mat eight = mat_to_8bit(detail::as_mat(image), options.depth16);
  EncodedImage out = mat_encode(mat_resize_to_fit(eight, options.max_side, options.max_pixels),
                                options.encoding, options.jpeg_quality);
  out.source_width = image.width;
  out.source_height = image.height;
  return out;
}

EncodedImage prepare_image_file(const std::string& path, const PreprocessOptions& options) {
  return preprocess_image(read_image(path), options);
}

}  // namespace rrg::image
