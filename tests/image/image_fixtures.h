// Test fixtures for the image tests, generated at test time (no binary fixtures in the repo):
// synthetic radiograph-like pixel patterns written as PNG/JPEG with OpenCV and as DICOM with
// DCMTK, plus the DICOM VOI formula the expected values are computed from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rrg/image/image.h"

namespace rrg::testing {

// A deterministic pattern: smooth gradients plus a bright "rib" band and a dark "lung" square,
// scaled to 0..max_value. Smooth enough that JPEG round trips stay close.
image::Image pattern_image(int width, int height, int channels, int bit_depth, int max_value);

// Writes with cv::imwrite (PNG/JPEG by extension; JPEG quality 100).
void write_image_file(const std::string& path, const image::Image& image);

struct DicomFixture {
  int width = 64;
  int height = 48;
  int bits_stored = 12;
  bool is_signed = false;
  std::string photometric = "MONOCHROME2";
  std::vector<std::int32_t> stored;  // width*height stored values
  std::optional<double> rescale_slope;
  std::optional<double> rescale_intercept;
  std::optional<double> window_center;
  std::optional<double> window_width;
  // "explicit" (uncompressed), "jpeg-lossless", "jpeg-ls", "rle".
  std::string transfer_syntax = "explicit";
};

// A 12-bit ramp with some structure, stored values in 0..4095.
std::vector<std::int32_t> ramp_values(int width, int height, int max_value);

// Writes a DICOM Part 10 file (Digital X-Ray / Secondary Capture style). Throws on failure.
void write_dicom_file(const std::string& path, const DicomFixture& fixture);

// DICOM PS3.3 C.11.2.1.2.1 linear VOI function mapped to 0..255 (not rounded).
double voi_linear(double x, double center, double width);

}  // namespace rrg::testing
