// JPEG/PNG reading: depth and channel order are kept, every kind of bad file is an ImageError
// naming the file. Fixtures are written with OpenCV at test time.
#include "rrg/image/image_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "image/image_fixtures.h"
#include "support/test_support.h"

namespace {

using rrg::image::Image;
using rrg::image::ImageError;
using rrg::image::ImageFileType;
using rrg::testing::pattern_image;
using rrg::testing::write_image_file;

TEST(ImageReader, Png8BitGrayIsExact) {
  rrg::testing::TempDir dir;
  const Image source = pattern_image(40, 30, 1, 8, 255);
  write_image_file(dir.file("g.png"), source);
  const Image image = rrg::image::read_image(dir.file("g.png"));
  EXPECT_EQ(image.channels, 1);
  EXPECT_EQ(image.bit_depth, 8);
  EXPECT_EQ(image.data, source.data);
}

TEST(ImageReader, PngRgbKeepsRedFirst) {
  rrg::testing::TempDir dir;
  Image source = rrg::image::make_image(2, 1, 3, 8);
  source.data = {200, 10, 20, 5, 150, 250};  // a red-ish and a blue-ish pixel
  write_image_file(dir.file("c.png"), source);
  const Image image = rrg::image::read_image(dir.file("c.png"));
  EXPECT_EQ(image.channels, 3);
  EXPECT_EQ(image.data, source.data);
}

TEST(ImageReader, Png16BitKeepsItsDepth) {
  rrg::testing::TempDir dir;
  const Image source = pattern_image(33, 21, 1, 16, 4095);  // 12-bit data in a 16-bit PNG
  write_image_file(dir.file("d16.png"), source);
  const Image image = rrg::image::read_image(dir.file("d16.png"));
  EXPECT_EQ(image.bit_depth, 16);
  EXPECT_EQ(image.channels, 1);
  EXPECT_EQ(image.data, source.data);
  EXPECT_GT(image.sample(32, 20), 255);  // really more than 8 bits of range
}

TEST(ImageReader, JpegIsCloseToTheSource) {
  rrg::testing::TempDir dir;
  const Image source = pattern_image(64, 48, 1, 8, 255);
  write_image_file(dir.file("x.jpg"), source);
  const Image image = rrg::image::read_image(dir.file("x.jpg"));
  ASSERT_EQ(image.width, 64);
  ASSERT_EQ(image.height, 48);
  EXPECT_EQ(image.channels, 1);
  int worst = 0;
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) {
      worst = std::max(worst, std::abs(image.sample(x, y) - source.sample(x, y)));
    }
  }
  EXPECT_LE(worst, 4);  // JPEG quality 100 is near-lossless
}

TEST(ImageReader, DetectsTypesBySignature) {
  EXPECT_EQ(rrg::image::detect_image_type("\xFF\xD8\xFF\xE0", "a.png"), ImageFileType::kJpeg);
  EXPECT_EQ(rrg::image::detect_image_type(std::string("\x89PNG\r\n\x1A\n", 8), "a.jpg"),
            ImageFileType::kPng);
  std::string dicom(132, '\0');
  dicom.replace(128, 4, "DICM");
  EXPECT_EQ(rrg::image::detect_image_type(dicom, "a.jpg"), ImageFileType::kDicom);
  EXPECT_EQ(rrg::image::detect_image_type("xx", "IM0001.DCM"), ImageFileType::kDicom);
  EXPECT_EQ(rrg::image::detect_image_type("xx", "notes.txt"), ImageFileType::kUnknown);
}

// Every bad file gives an ImageError whose message names the file and contains `problem`.
void expect_error(const std::string& path, const std::string& problem) {
  try {
    const Image image = rrg::image::read_image(path);
    ADD_FAILURE() << path << " was read as " << rrg::image::describe(image);
  } catch (const ImageError& e) {
    EXPECT_EQ(e.path(), path);
    EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find(problem), std::string::npos) << e.what();
  }
}

TEST(ImageReader, BadFilesAreImageErrors) {
  rrg::testing::TempDir dir;
  const Image source = pattern_image(64, 48, 1, 8, 255);
  write_image_file(dir.file("ok.jpg"), source);
  write_image_file(dir.file("ok.png"), source);
  const std::string jpeg = rrg::testing::read_file(dir.file("ok.jpg"));
  const std::string png = rrg::testing::read_file(dir.file("ok.png"));

  rrg::testing::write_file(dir.file("cut.jpg"), jpeg.substr(0, jpeg.size() * 2 / 3));
  expect_error(dir.file("cut.jpg"), "truncated JPEG");
  rrg::testing::write_file(dir.file("head.jpg"), jpeg.substr(0, 10));
  expect_error(dir.file("head.jpg"), "truncated JPEG");
  rrg::testing::write_file(dir.file("cut.png"), png.substr(0, png.size() / 2));
  expect_error(dir.file("cut.png"), "truncated PNG");
  // Intact framing but scrambled compressed data: the decoder itself must fail.
  std::string scrambled = png;
  for (std::size_t i = 60; i + 20 < scrambled.size(); i += 3) scrambled[i] ^= 0x5A;
  rrg::testing::write_file(dir.file("scrambled.png"), scrambled);
  expect_error(dir.file("scrambled.png"), "cannot decode PNG");
  rrg::testing::write_file(dir.file("empty.png"), "");
  expect_error(dir.file("empty.png"), "empty");
  rrg::testing::write_file(dir.file("notes.jpg"), "these are not pixels");
  expect_error(dir.file("notes.jpg"), "not a JPEG, PNG or DICOM file");
  expect_error(dir.file("missing.png"), "cannot open");
  std::filesystem::create_directory(dir.file("folder.png"));
  expect_error(dir.file("folder.png"), "Is a directory");
}

TEST(ImageReader, DecodeImageReadsMemory) {
  rrg::testing::TempDir dir;
  const Image source = pattern_image(16, 8, 3, 8, 255);
  write_image_file(dir.file("m.png"), source);
  const Image image =
      rrg::image::decode_image(rrg::testing::read_file(dir.file("m.png")), "payload");
  EXPECT_EQ(image.data, source.data);
  EXPECT_THROW(rrg::image::decode_image("", "payload"), ImageError);
}

}  // namespace
