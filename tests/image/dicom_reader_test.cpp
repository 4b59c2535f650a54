// DICOM rendering against the DICOM standard's grayscale pipeline, on fixtures written with DCMTK
// at test time: expected pixels come from the PS3.3 C.11.2.1.2.1 linear VOI function, not from
// rrg. DCMTK's integer rendering may differ from the exact formula by one grey level.
#include "rrg/image/dicom_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "image/image_fixtures.h"
#include "rrg/image/image_reader.h"
#include "support/test_support.h"

namespace {

using rrg::image::Image;
using rrg::image::ImageError;
using rrg::testing::DicomFixture;

constexpr int kWidth = 64;
constexpr int kHeight = 48;

DicomFixture ramp_fixture() {
  DicomFixture f;
  f.width = kWidth;
  f.height = kHeight;
  f.stored = rrg::testing::ramp_values(kWidth, kHeight, 4095);
  return f;
}

// Asserts that every pixel is within one grey level of expected(stored value).
template <typename Expected>
void expect_pixels(const Image& image, const DicomFixture& f, Expected expected) {
  ASSERT_EQ(image.width, f.width);
  ASSERT_EQ(image.height, f.height);
  ASSERT_EQ(image.channels, 1);
  ASSERT_EQ(image.bit_depth, 8);
  int worst = 0;
  for (int y = 0; y < f.height; ++y) {
    for (int x = 0; x < f.width; ++x) {
      const double want = expected(f.stored[static_cast<std::size_t>(y) * f.width + x]);
      const int diff = std::abs(image.sample(x, y) - static_cast<int>(std::lround(want)));
      worst = std::max(worst, diff);
      ASSERT_LE(diff, 1) << "pixel (" << x << "," << y << ") stored "
                         << f.stored[static_cast<std::size_t>(y) * f.width + x] << ": got "
                         << image.sample(x, y) << ", expected " << want;
    }
  }
  ::testing::Test::RecordProperty("max_abs_diff", worst);
}

TEST(DicomReader, Monochrome2UsesTheFileWindow) {
  rrg::testing::TempDir dir;
  DicomFixture f = ramp_fixture();
  f.window_center = 2048;
  f.window_width = 1024;
  rrg::testing::write_dicom_file(dir.file("m2.dcm"), f);
  const Image image = rrg::image::read_dicom(dir.file("m2.dcm"));
  expect_pixels(image, f, [](double x) { return rrg::testing::voi_linear(x, 2048, 1024); });
  // The window clips: the darkest pixel is black, the brightest white.
  EXPECT_EQ(image.sample(0, 0), 0);
  EXPECT_EQ(image.sample(kWidth - 1, kHeight - 1), 255);
}

TEST(DicomReader, Monochrome1IsInverted) {
  rrg::testing::TempDir dir;
  DicomFixture f = ramp_fixture();
  f.photometric = "MONOCHROME1";
  f.window_center = 2048;
  f.window_width = 1024;
  rrg::testing::write_dicom_file(dir.file("m1.dcm"), f);
  const Image image = rrg::image::read_dicom(dir.file("m1.dcm"));
  expect_pixels(image, f, [](double x) { return 255.0 - rrg::testing::voi_linear(x, 2048, 1024); });
  EXPECT_EQ(image.sample(0, 0), 255);  // stored 0 in MONOCHROME1 is white
}

TEST(DicomReader, WithoutWindowUsesTheFullMinMaxRange) {
  rrg::testing::TempDir dir;
  DicomFixture f = ramp_fixture();
  for (auto& v : f.stored) v = 500 + v / 2;  // 500..2547: min/max are not 0 and 4095
  rrg::testing::write_dicom_file(dir.file("mm.dcm"), f);
  const Image image = rrg::image::read_dicom(dir.file("mm.dcm"));
  expect_pixels(image, f, [](double x) { return 255.0 * (x - 500) / (2547 - 500); });
}

TEST(DicomReader, Monochrome1WithoutWindowIsInvertedMinMax) {
  rrg::testing::TempDir dir;
  DicomFixture f = ramp_fixture();
  f.photometric = "MONOCHROME1";
  rrg::testing::write_dicom_file(dir.file("m1mm.dcm"), f);
  const Image image = rrg::image::read_dicom(dir.file("m1mm.dcm"));
  expect_pixels(image, f, [](double x) { return 255.0 - 255.0 * x / 4095; });
}

TEST(DicomReader, AppliesTheModalityLutBeforeTheWindow) {
  rrg::testing::TempDir dir;
  DicomFixture f = ramp_fixture();
  f.rescale_slope = 2;
  f.rescale_intercept = -1000;
  f.window_center = 1000;  // in modality units: stored 1000 -> 1000
  f.window_width = 2000;
  rrg::testing::write_dicom_file(dir.file("lut.dcm"), f);
  const Image image = rrg::image::read_dicom(dir.file("lut.dcm"));
  expect_pixels(image, f,
                [](double x) { return rrg::testing::voi_linear(2 * x - 1000, 1000, 2000); });
}

TEST(DicomReader, SignedPixelData) {
  rrg::testing::TempDir dir;
  DicomFixture f = ramp_fixture();
  f.is_signed = true;
  for (auto& v : f.stored) v -= 2048;  // -2048..2047
  f.window_center = 0;
  f.window_width = 2000;
  rrg::testing::write_dicom_file(dir.file("signed.dcm"), f);
  const Image image = rrg::image::read_dicom(dir.file("signed.dcm"));
  expect_pixels(image, f, [](double x) { return rrg::testing::voi_linear(x, 0, 2000); });
}

class CompressedDicom : public ::testing::TestWithParam<const char*> {};

TEST_P(CompressedDicom, DecodesToTheSamePixelsAsUncompressed) {
  rrg::testing::TempDir dir;
  DicomFixture f = ramp_fixture();
  f.photometric = "MONOCHROME1";
  f.window_center = 1800;
  f.window_width = 3000;
  rrg::testing::write_dicom_file(dir.file("plain.dcm"), f);
  f.transfer_syntax = GetParam();
  rrg::testing::write_dicom_file(dir.file("packed.dcm"), f);
  // The compressed file really is compressed: its transfer syntax UID is in the meta header.
  EXPECT_NE(rrg::testing::read_file(dir.file("packed.dcm")),
            rrg::testing::read_file(dir.file("plain.dcm")));
  const Image plain = rrg::image::read_dicom(dir.file("plain.dcm"));
  const Image packed = rrg::image::read_image(dir.file("packed.dcm"));
  EXPECT_EQ(packed.data, plain.data);
  expect_pixels(packed, f,
                [](double x) { return 255.0 - rrg::testing::voi_linear(x, 1800, 3000); });
}

INSTANTIATE_TEST_SUITE_P(TransferSyntaxes, CompressedDicom,
                         ::testing::Values("jpeg-lossless", "jpeg-ls", "rle"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (auto& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(DicomReader, IsFoundBySignatureWhateverTheFileName) {
  rrg::testing::TempDir dir;
  DicomFixture f = ramp_fixture();
  rrg::testing::write_dicom_file(dir.file("image.bin"), f);
  const Image image = rrg::image::read_image(dir.file("image.bin"));
  EXPECT_EQ(image.width, kWidth);
}

std::string expect_image_error(const std::string& path) {
  try {
    rrg::image::read_image(path);
  } catch (const ImageError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no ImageError for " << path;
  return "";
}

TEST(DicomReader, TruncatedFileIsAnImageError) {
  rrg::testing::TempDir dir;
  rrg::testing::write_dicom_file(dir.file("whole.dcm"), ramp_fixture());
  const std::string bytes = rrg::testing::read_file(dir.file("whole.dcm"));
  rrg::testing::write_file(dir.file("cut.dcm"), bytes.substr(0, bytes.size() / 2));
  const std::string message = expect_image_error(dir.file("cut.dcm"));
  EXPECT_NE(message.find("DICOM"), std::string::npos) << message;
}

TEST(DicomReader, GarbageWithDicomExtensionIsAnImageError) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("noise.dcm"), std::string(300, '\x07'));
  const std::string message = expect_image_error(dir.file("noise.dcm"));
  EXPECT_NE(message.find("DICOM"), std::string::npos) << message;
}

TEST(DicomReader, DicomWithoutPixelDataIsAnImageError) {
  rrg::testing::TempDir dir;
  rrg::testing::write_dicom_file(dir.file("whole.dcm"), ramp_fixture());
  // A structured report or similar: same file with the pixel data removed.
  const std::string bytes = rrg::testing::read_file(dir.file("whole.dcm"));
  const std::size_t pixel_tag = bytes.rfind(std::string("\xE0\x7F\x10\x00", 4));
  ASSERT_NE(pixel_tag, std::string::npos);
  rrg::testing::write_file(dir.file("nopixels.dcm"), bytes.substr(0, pixel_tag));
  const std::string message = expect_image_error(dir.file("nopixels.dcm"));
  EXPECT_NE(message.find("no pixel data"), std::string::npos) << message;
}

}  // namespace
