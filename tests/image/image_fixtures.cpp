// Fixture writers for the image tests (see image_fixtures.h).
#include "image/image_fixtures.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>

namespace rrg::testing {

image::Image pattern_image(int width, int height, int channels, int bit_depth, int max_value) {
  image::Image img = image::make_image(width, height, channels, bit_depth);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        double v = 0.15 + 0.6 * x / std::max(1, width - 1) + 0.2 * y / std::max(1, height - 1);
        if (y % 16 < 4) v += 0.05;  // "ribs"
        if (x > width / 4 && x < width / 2 && y > height / 4 && y < height / 2)
          v -= 0.12;  // "lung"
        v += 0.03 * c;
        v = std::clamp(v, 0.0, 1.0);
        const auto value = static_cast<std::uint32_t>(std::lround(v * max_value));
        const std::size_t index =
            (static_cast<std::size_t>(y) * width + static_cast<std::size_t>(x)) * channels + c;
        if (bit_depth == 16) {
          const auto v16 = static_cast<std::uint16_t>(value);
          std::memcpy(img.data.data() + 2 * index, &v16, 2);
        } else {
          img.data[index] = static_cast<std::uint8_t>(value);
        }
      }
    }
  }
  return img;
}

void write_image_file(const std::string& path, const image::Image& img) {
  const int type = CV_MAKETYPE(img.bit_depth == 16 ? CV_16U : CV_8U, img.channels);
  cv::Mat mat(img.height, img.width, type, const_cast<std::uint8_t*>(img.data.data()));
  cv::Mat bgr;  // a new buffer: converting in place would swap the caller's channels
  if (img.channels == 3) {
    cv::cvtColor(mat, bgr, cv::COLOR_RGB2BGR);
  } else {
    bgr = mat;
  }
  if (!cv::imwrite(path, bgr, {cv::IMWRITE_JPEG_QUALITY, 100})) {
    throw std::runtime_error("cv::imwrite failed for " + path);
  }
}

std::vector<std::int32_t> ramp_values(int width, int height, int max_value) {
  std::vector<std::int32_t> values(static_cast<std::size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      values[static_cast<std::size_t>(y) * width + x] =
          (max_value * (x + y * width)) / (width * height - 1);
    }
  }
  return values;
}

namespace {

void check(const OFCondition& status, const std::string& what) {
  if (status.bad()) throw std::runtime_error("DCMTK fixture: " + what + ": " + status.text());
}

}  // namespace

void write_dicom_file(const std::string& path, const DicomFixture& f) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  char uid[100];
  check(ds->putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage), "SOPClassUID");
  check(ds->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid)), "UID");
  check(ds->putAndInsertString(DCM_Modality, "DX"), "Modality");
  check(ds->putAndInsertUint16(DCM_SamplesPerPixel, 1), "SamplesPerPixel");
  check(ds->putAndInsertString(DCM_PhotometricInterpretation, f.photometric.c_str()), "PI");
  check(ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(f.height)), "Rows");
  check(ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(f.width)), "Columns");
  check(ds->putAndInsertUint16(DCM_BitsAllocated, 16), "BitsAllocated");
  check(ds->putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(f.bits_stored)), "BitsStored");
  check(ds->putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(f.bits_stored - 1)), "HighBit");
  check(ds->putAndInsertUint16(DCM_PixelRepresentation, f.is_signed ? 1 : 0), "PixelRep");
  auto put_number = [&](const DcmTagKey& key, double value, const char* name) {
    char text[64];
    std::snprintf(text, sizeof text, "%g", value);
    check(ds->putAndInsertString(key, text), name);
  };
  if (f.rescale_slope) put_number(DCM_RescaleSlope, *f.rescale_slope, "RescaleSlope");
  if (f.rescale_intercept) put_number(DCM_RescaleIntercept, *f.rescale_intercept, "Intercept");
  if (f.window_center) put_number(DCM_WindowCenter, *f.window_center, "WindowCenter");
  if (f.window_width) put_number(DCM_WindowWidth, *f.window_width, "WindowWidth");
  std::vector<Uint16> words(f.stored.size());
  const Uint16 mask = static_cast<Uint16>((1u << f.bits_stored) - 1);
  for (std::size_t i = 0; i < words.size(); ++i) {
    words[i] = static_cast<Uint16>(f.stored[i]) & mask;  // two's complement within BitsStored
  }
  check(ds->putAndInsertUint16Array(DCM_PixelData, words.data(),
                                    static_cast<unsigned long>(words.size())),
        "PixelData");

  E_TransferSyntax xfer = EXS_LittleEndianExplicit;
  if (f.transfer_syntax == "jpeg-lossless") {
    DJEncoderRegistration::registerCodecs();
    xfer = EXS_JPEGProcess14SV1;
    DJ_RPLossless params;
    check(ds->chooseRepresentation(xfer, &params), "JPEG lossless encoding");
  } else if (f.transfer_syntax == "jpeg-ls") {
    DJLSEncoderRegistration::registerCodecs();
    xfer = EXS_JPEGLSLossless;
    DJLSRepresentationParameter params;
    check(ds->chooseRepresentation(xfer, &params), "JPEG-LS encoding");
  } else if (f.transfer_syntax == "rle") {
    DcmRLEEncoderRegistration::registerCodecs();
    xfer = EXS_RLELossless;
    check(ds->chooseRepresentation(xfer, nullptr), "RLE encoding");
  } else if (f.transfer_syntax != "explicit") {
    throw std::runtime_error("unknown fixture transfer syntax " + f.transfer_syntax);
  }
  if (!ds->canWriteXfer(xfer)) throw std::runtime_error("DCMTK cannot write " + f.transfer_syntax);
  check(file.saveFile(path.c_str(), xfer), "saveFile " + path);
}

double voi_linear(double x, double c, double w) {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
}

}  // namespace rrg::testing
