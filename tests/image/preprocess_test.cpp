// Preprocessing: the size rule, the 16-to-8-bit mapping, and the full path from a file to a data
// URL and back, comparing decoded pixels with the source image.
#include "rrg/image/preprocess.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "image/image_fixtures.h"
#include "rrg/image/data_url.h"
#include "rrg/image/image_reader.h"
#include "support/test_support.h"

namespace {

using rrg::image::EncodedImage;
using rrg::image::Image;
using rrg::image::PreprocessOptions;
using rrg::testing::pattern_image;

struct SizeCase {
  int width, height, max_side;
  std::int64_t max_pixels;
  int want_width, want_height;
};

// Expected sizes worked out with the formula of preprocess.h in Python:
//   s = min(1, max_side / max(w, h), math.sqrt(max_pixels / (w * h)))
//   (math.floor(w * s), math.floor(h * s))
class FittedSize : public ::testing::TestWithParam<SizeCase> {};

TEST_P(FittedSize, MatchesTheFormula) {
  const SizeCase& c = GetParam();
  const auto [w, h] = rrg::image::fitted_size(c.width, c.height, c.max_side, c.max_pixels);
  EXPECT_EQ(w, c.want_width);
  EXPECT_EQ(h, c.want_height);
  if (c.max_pixels > 0) {
    EXPECT_LE(std::int64_t{w} * h, c.max_pixels);
  }
  if (c.max_side > 0) {
    EXPECT_LE(std::max(w, h), c.max_side);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, FittedSize,
    ::testing::Values(SizeCase{2544, 3056, 2048, 1003520, 913, 1097},   // MIMIC-CXR portrait
                      SizeCase{3056, 2544, 2048, 1003520, 1097, 913},   // landscape
                      SizeCase{4000, 1000, 2048, 1003520, 2003, 500},   // pixel budget wins
                      SizeCase{4096, 1024, 2048, 0, 2048, 512},         // exact side limit
                      SizeCase{1000, 1000, 2048, 1003520, 1000, 1000},  // fits: unchanged
                      SizeCase{1001, 1003, 0, 1003520, 1000, 1002},     // just over budget
                      SizeCase{300, 200, 0, 0, 300, 200},               // no limits
                      SizeCase{10000, 1, 100, 0, 100, 1}));             // never below 1 pixel

Image gray16(std::vector<std::uint16_t> values) {
  Image image = rrg::image::make_image(static_cast<int>(values.size()), 1, 1, 16);
  std::memcpy(image.data.data(), values.data(), values.size() * 2);
  return image;
}

TEST(To8Bit, MinMaxStretchesTheImageRange) {
  const Image out =
      rrg::image::to_8bit(gray16({10, 520, 11, 265, 264}), rrg::image::Depth16Mapping::kMinMax);
  ASSERT_EQ(out.bit_depth, 8);
  // round(255 * (v - 10) / 510) half up: 0, 255, 0.5 -> 1, 127.5 -> 128, 127
  EXPECT_EQ(out.data, (std::vector<std::uint8_t>{0, 255, 1, 128, 127}));
}

TEST(To8Bit, FullRangeDividesBy257) {
  const Image out = rrg::image::to_8bit(gray16({0, 65535, 128, 129, 32896}),
                                        rrg::image::Depth16Mapping::kFullRange);
  // round(255 * v / 65535): 0, 255, 0.498 -> 0, 0.502 -> 1, 128
  EXPECT_EQ(out.data, (std::vector<std::uint8_t>{0, 255, 0, 1, 128}));
}

TEST(To8Bit, ConstantImageFallsBackToFullRange) {
  const Image out =
      rrg::image::to_8bit(gray16({32896, 32896}), rrg::image::Depth16Mapping::kMinMax);
  EXPECT_EQ(out.data, (std::vector<std::uint8_t>{128, 128}));
}

Image decode_url(const std::string& url, const std::string& want_mime) {
  const rrg::image::DataUrl parsed = rrg::image::parse_data_url(url);
  EXPECT_EQ(parsed.mime_type, want_mime);
  return rrg::image::decode_image(parsed.bytes, "data URL");
}

TEST(Preprocess, PngDataUrlDecodesToTheSourcePixels) {
  rrg::testing::TempDir dir;
  const Image source = pattern_image(120, 90, 3, 8, 255);
  rrg::testing::write_image_file(dir.file("s.png"), source);
  PreprocessOptions options;
  options.encoding = rrg::image::ImageEncoding::kPng;
  const EncodedImage encoded = rrg::image::prepare_image_file(dir.file("s.png"), options);
  EXPECT_EQ(encoded.width, 120);
  EXPECT_EQ(encoded.source_width, 120);
  const Image back =
      decode_url(rrg::image::make_data_url(encoded.mime_type, encoded.bytes), "image/png");
  EXPECT_EQ(back.data, source.data);
}

TEST(Preprocess, Png16BitIsMappedWithMinMax) {
  rrg::testing::TempDir dir;
  const Image source = pattern_image(50, 40, 1, 16, 4095);
  rrg::testing::write_image_file(dir.file("s16.png"), source);
  PreprocessOptions options;
  options.encoding = rrg::image::ImageEncoding::kPng;
  const EncodedImage encoded = rrg::image::prepare_image_file(dir.file("s16.png"), options);
  const Image back =
      decode_url(rrg::image::make_data_url(encoded.mime_type, encoded.bytes), "image/png");
  ASSERT_EQ(back.bit_depth, 8);
  int low = 65535, high = 0;
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 50; ++x) {
      low = std::min(low, source.sample(x, y));
      high = std::max(high, source.sample(x, y));
    }
  }
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 50; ++x) {
      const double want = 255.0 * (source.sample(x, y) - low) / (high - low);
      ASSERT_EQ(back.sample(x, y), static_cast<int>(std::floor(want + 0.5))) << x << "," << y;
    }
  }
}

TEST(Preprocess, ResizesWithAreaAveraging) {
  const Image source = pattern_image(400, 300, 1, 8, 255);
  PreprocessOptions options;
  options.encoding = rrg::image::ImageEncoding::kPng;
  options.max_side = 200;  // exactly half: INTER_AREA averages 2x2 blocks
  const EncodedImage encoded = rrg::image::preprocess_image(source, options);
  EXPECT_EQ(encoded.width, 200);
  EXPECT_EQ(encoded.height, 150);
  EXPECT_EQ(encoded.source_width, 400);
  const Image back = rrg::image::decode_image(encoded.bytes, "png");
  for (int y = 0; y < 150; ++y) {
    for (int x = 0; x < 200; ++x) {
      const int sum = source.sample(2 * x, 2 * y) + source.sample(2 * x + 1, 2 * y) +
                      source.sample(2 * x, 2 * y + 1) + source.sample(2 * x + 1, 2 * y + 1);
      ASSERT_NEAR(back.sample(x, y), sum / 4.0, 0.5 + 1e-9) << x << "," << y;
    }
  }
}

TEST(Preprocess, LeavesTheSourceImageUntouched) {
  const Image source = pattern_image(30, 20, 3, 8, 255);
  const Image copy = source;
  PreprocessOptions options;
  options.encoding = rrg::image::ImageEncoding::kPng;
  const EncodedImage encoded = rrg::image::preprocess_image(source, options);
  EXPECT_EQ(source.data, copy.data);  // the RGB -> BGR swap for OpenCV happens in a copy
  EXPECT_EQ(rrg::image::decode_image(encoded.bytes, "png").data, copy.data);
}

TEST(Preprocess, JpegDataUrlIsCloseToTheSource) {
  const Image source = pattern_image(160, 120, 1, 8, 255);
  PreprocessOptions options;  // defaults: JPEG quality 95
  const EncodedImage encoded = rrg::image::preprocess_image(source, options);
  EXPECT_EQ(encoded.mime_type, "image/jpeg");
  const Image back =
      decode_url(rrg::image::make_data_url(encoded.mime_type, encoded.bytes), "image/jpeg");
  ASSERT_EQ(back.width, 160);
  double total = 0;
  int worst = 0;
  for (int y = 0; y < 120; ++y) {
    for (int x = 0; x < 160; ++x) {
      const int d = std::abs(back.sample(x, y) - source.sample(x, y));
      total += d;
      worst = std::max(worst, d);
    }
  }
  EXPECT_LT(total / (160 * 120), 1.0);
  EXPECT_LE(worst, 12);
}

TEST(Preprocess, DicomBecomesAnEightBitDataUrl) {
  rrg::testing::TempDir dir;
  rrg::testing::DicomFixture f;
  f.stored = rrg::testing::ramp_values(f.width, f.height, 4095);
  f.window_center = 2048;
  f.window_width = 4096;
  rrg::testing::write_dicom_file(dir.file("x.dcm"), f);
  PreprocessOptions options;
  options.encoding = rrg::image::ImageEncoding::kPng;
  const EncodedImage encoded = rrg::image::prepare_image_file(dir.file("x.dcm"), options);
  const Image back = rrg::image::decode_image(encoded.bytes, "png");
  EXPECT_EQ(back.data, rrg::image::read_image(dir.file("x.dcm")).data);
}

TEST(Preprocess, ParsesOptionNames) {
  EXPECT_EQ(rrg::image::parse_image_encoding("jpg"), rrg::image::ImageEncoding::kJpeg);
  EXPECT_EQ(rrg::image::parse_image_encoding("png"), rrg::image::ImageEncoding::kPng);
  EXPECT_THROW(rrg::image::parse_image_encoding("gif"), rrg::InputError);
  EXPECT_EQ(rrg::image::parse_depth16_mapping("full"), rrg::image::Depth16Mapping::kFullRange);
  EXPECT_THROW(rrg::image::parse_depth16_mapping("auto"), rrg::InputError);
}

}  // namespace
