// Parsing the preprocessing flags (see preprocess_options.h).
#include "rrg/image/preprocess_options.h"

#include "rrg/core/errors.h"

namespace rrg::image {

ImageEncoding parse_image_encoding(const std::string& name) {
  if (name == "jpeg" || name == "jpg") return ImageEncoding::kJpeg;
  if (name == "png") return ImageEncoding::kPng;
  throw InputError("unknown image encoding '" + name + "' (expected jpeg or png)");
}

Depth16Mapping parse_depth16_mapping(const std::string& name) {
  if (name == "minmax") return Depth16Mapping::kMinMax;
  if (name == "full") return Depth16Mapping::kFullRange;
  throw InputError("unknown 16-bit mapping '" + name + "' (expected minmax or full)");
}

SquareMode parse_square_mode(const std::string& name) {
  if (name == "crop") return SquareMode::kCenterCrop;
  if (name == "stretch") return SquareMode::kStretch;
  throw InputError("unknown resize mode '" + name + "' (expected crop or stretch)");
}

}  // namespace rrg::image
