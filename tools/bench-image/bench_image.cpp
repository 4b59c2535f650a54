// Image preparation cost per study image for `rrg generate`, on MIMIC-CXR-sized synthetic
// radiographs (2544 x 3056, the most common MIMIC-CXR-JPG size): decoding, 8-bit conversion,
// resizing to the default 1,003,520-pixel budget, JPEG/PNG encoding and base64.
//
//   build/tools/bench-image/bench-image [--benchmark_filter=...]
//
// CPU times are for the whole process (OpenCV resizes on several threads). The images are written
// to a temporary folder at start: smooth gradients plus Gaussian noise, so JPEG sizes are close to
// real radiographs (about 1-2 MB), a 16-bit PNG with 12-bit data, and an uncompressed 12-bit
// MONOCHROME2 DICOM.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include "rrg/image/data_url.h"
#include "rrg/image/dicom_reader.h"
#include "rrg/image/image_reader.h"
#include "rrg/image/preprocess.h"

namespace {

constexpr int kWidth = 2544;
constexpr int kHeight = 3056;

struct Files {
  std::string dir, jpeg, png16, dicom;
};

// Removes the temporary folder when the program exits.
struct FolderRemover {
  std::string dir;
  ~FolderRemover() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

cv::Mat radiograph(int depth, double max_value) {
  cv::Mat gradient(kHeight, kWidth, CV_32F);
  for (int y = 0; y < kHeight; ++y) {
    auto* row = gradient.ptr<float>(y);
    for (int x = 0; x < kWidth; ++x) {
      row[x] = static_cast<float>(0.2 + 0.5 * x / kWidth + 0.2 * y / kHeight +
                                  ((y / 40) % 3 == 0 ? 0.05 : 0.0));
    }
  }
  cv::Mat noise(kHeight, kWidth, CV_32F);
  cv::randn(noise, 0.0, 0.012);
  cv::Mat out;
  cv::Mat((gradient + noise) * max_value).convertTo(out, depth);
  return out;
}

const Files& files() {
  static const Files f = [] {
    Files out;
    char templ[] = "/tmp/rrg-bench-image-XXXXXX";
    out.dir = ::mkdtemp(templ);
    static const FolderRemover remover{out.dir};
    out.jpeg = out.dir + "/mimic.jpg";
    out.png16 = out.dir + "/mimic16.png";
    out.dicom = out.dir + "/mimic.dcm";
    cv::imwrite(out.jpeg, radiograph(CV_8U, 255), {cv::IMWRITE_JPEG_QUALITY, 95});
    const cv::Mat twelve = radiograph(CV_16U, 4095);
    cv::imwrite(out.png16, twelve);
    DcmFileFormat file;
    DcmDataset* ds = file.getDataset();
    char uid[100];
    ds->putAndInsertString(DCM_SOPClassUID, UID_DigitalXRayImageStorageForPresentation);
    ds->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid));
    ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds->putAndInsertUint16(DCM_Rows, kHeight);
    ds->putAndInsertUint16(DCM_Columns, kWidth);
    ds->putAndInsertUint16(DCM_BitsAllocated, 16);
    ds->putAndInsertUint16(DCM_BitsStored, 12);
    ds->putAndInsertUint16(DCM_HighBit, 11);
    ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
    ds->putAndInsertString(DCM_WindowCenter, "2048");
    ds->putAndInsertString(DCM_WindowWidth, "4096");
    ds->putAndInsertUint16Array(DCM_PixelData, twelve.ptr<Uint16>(0),
                                static_cast<unsigned long>(twelve.total()));
    file.saveFile(out.dicom.c_str(), EXS_LittleEndianExplicit);
    return out;
  }();
  return f;
}

void BM_DecodeJpeg(benchmark::State& state) {
  files();  // written once, outside the timed loop
  for (auto _ : state) benchmark::DoNotOptimize(rrg::image::read_image(files().jpeg));
  state.counters["file_MB"] = std::filesystem::file_size(files().jpeg) / 1e6;
}
BENCHMARK(BM_DecodeJpeg)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

void BM_ResizeAndEncode(benchmark::State& state) {
  const rrg::image::Image image = rrg::image::read_image(files().jpeg);
  rrg::image::PreprocessOptions options;
  options.encoding =
      state.range(0) ? rrg::image::ImageEncoding::kPng : rrg::image::ImageEncoding::kJpeg;
  std::size_t bytes = 0;
  for (auto _ : state) bytes = rrg::image::preprocess_image(image, options).bytes.size();
  state.counters["sent_KB"] = bytes / 1e3;
  state.SetLabel(state.range(0) ? "png" : "jpeg q95");
}
BENCHMARK(BM_ResizeAndEncode)
    ->Arg(0)
    ->Arg(1)
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

void BM_Base64DataUrl(benchmark::State& state) {
  const rrg::image::EncodedImage encoded =
      rrg::image::prepare_image_file(files().jpeg, rrg::image::PreprocessOptions{});
  for (auto _ : state) {
    benchmark::DoNotOptimize(rrg::image::make_data_url(encoded.mime_type, encoded.bytes));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * encoded.bytes.size()));
}
BENCHMARK(BM_Base64DataUrl)->MeasureProcessCPUTime()->Unit(benchmark::kMicrosecond);

// Everything `rrg generate` does per image file, for each kind of file.
void BM_PrepareFile(benchmark::State& state) {
  const std::string& path = state.range(0) == 0   ? files().jpeg
                            : state.range(0) == 1 ? files().png16
                                                  : files().dicom;
  for (auto _ : state) {
    const auto encoded = rrg::image::prepare_image_file(path, rrg::image::PreprocessOptions{});
    benchmark::DoNotOptimize(rrg::image::make_data_url(encoded.mime_type, encoded.bytes));
  }
  state.SetLabel(state.range(0) == 0   ? "JPEG 8-bit"
                 : state.range(0) == 1 ? "PNG 16-bit"
                                       : "DICOM 12-bit");
}
BENCHMARK(BM_PrepareFile)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
