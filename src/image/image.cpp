// Image helpers and ImageError (see image.h).
#include "rrg/image/image.h"

#include <cstring>
#include <stdexcept>

namespace rrg::image {

std::size_t Image::byte_size() const {
  return static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
         static_cast<std::size_t>(channels) * bytes_per_sample();
}

int Image::sample(int x, int y, int channel) const {
  const std::size_t index = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                             static_cast<std::size_t>(x)) *
                                static_cast<std::size_t>(channels) +
                            static_cast<std::size_t>(channel);
  if (bit_depth == 16) {
    std::uint16_t value;
    std::memcpy(&value, data.data() + 2 * index, sizeof value);
    return value;
  }
  return data[index];
}

Image make_image(int width, int height, int channels, int bit_depth) {
  if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) ||
      (bit_depth != 8 && bit_depth != 16)) {
    throw std::invalid_argument("make_image: unsupported shape " + std::to_string(width) + "x" +
                                std::to_string(height) + "x" + std::to_string(channels) + ", " +
                                std::to_string(bit_depth) + "-bit");
  }
  Image image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.bit_depth = bit_depth;
  image.data.assign(image.byte_size(), 0);
  return image;
}

std::string describe(const Image& image) {
  return std::to_string(image.width) + "x" + std::to_string(image.height) + " " +
         (image.channels == 1 ? "gray" : "RGB") + " " + std::to_string(image.bit_depth) + "-bit";
}

ImageError::ImageError(const std::string& path, const std::string& problem)
    : InputError(path + ": " + problem), path_(path) {}

}  // namespace rrg::image
