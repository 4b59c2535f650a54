// JPEG/PNG decoding with OpenCV and format detection (see image_reader.h).
#include "rrg/image/image_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "opencv_image.h"
#include "rrg/image/dicom_reader.h"

namespace rrg::image {
namespace {

// The DICOM Part 10 header: a 128-byte preamble, then "DICM" (PS3.10 section 7.1).
constexpr std::size_t kDicomMagicOffset = 128;
constexpr std::size_t kSignatureBytes = kDicomMagicOffset + 4;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool has_extension(const std::string& path, std::initializer_list<const char*> extensions) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(extensions.begin(), extensions.end(), [&](const char* e) { return ext == e; });
}

std::string hex_prefix(std::string_view bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 4); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (i > 0) out += ' ';
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

// libjpeg decodes a truncated JPEG "successfully", filling the missing part with grey and only
// printing a warning. A complete JPEG ends its entropy-coded data with the EOI marker (FF D9),
// which cannot occur inside the data itself (FF bytes there are stuffed with 00, ITU T.81
// B.1.1.5), so its absence after the first start-of-scan marker means the file was cut short.
// Returns an empty string when the stream looks complete, else the problem.
std::string jpeg_truncation_problem(std::string_view b) {
  std::size_t pos = 2;  // after SOI
  while (true) {
    while (pos < b.size() && static_cast<unsigned char>(b[pos]) == 0xFF && pos + 1 < b.size() &&
           static_cast<unsigned char>(b[pos + 1]) == 0xFF) {
      ++pos;  // fill bytes before a marker
    }
    if (pos + 4 > b.size()) return "truncated JPEG (the file ends inside its header)";
    if (static_cast<unsigned char>(b[pos]) != 0xFF) return "corrupt JPEG header (marker expected)";
    const auto marker = static_cast<unsigned char>(b[pos + 1]);
    if (marker == 0xDA) break;  // start of scan
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      pos += 2;  // markers without a length field
      continue;
    }
    const std::size_t length =
        (static_cast<unsigned char>(b[pos + 2]) << 8) | static_cast<unsigned char>(b[pos + 3]);
    pos += 2 + length;
  }
  for (std::size_t i = b.size(); i-- > pos + 1;) {
    if (static_cast<unsigned char>(b[i - 1]) == 0xFF && static_cast<unsigned char>(b[i]) == 0xD9) {
      return "";
    }
  }
  return "truncated JPEG (no end-of-image marker after the image data)";
}

// PNG files end with an IEND chunk (PNG spec 11.2.5): 00 00 00 00 'IEND' AE 42 60 82. libpng
// fails on most truncations, but a cut inside the last chunks can go unnoticed; this check
// makes the outcome independent of where the file was cut. Trailing bytes after IEND are allowed.
bool png_has_end_chunk(std::string_view b) {
  static constexpr std::string_view kIend("IEND\xAE\x42\x60\x82", 8);
  return b.find(kIend, 8) != std::string_view::npos;
}

// Reads the whole file, or only its first `limit` bytes.
std::string read_file_bytes(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImageError(path, std::string("cannot open file (") + std::strerror(errno) + ")");
  std::string bytes;
  if (limit == std::string::npos) {
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else {
    bytes.resize(limit);
    in.read(bytes.data(), static_cast<std::streamsize>(limit));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw ImageError(path, std::string("read failed (") + std::strerror(errno) + ")");
  return bytes;
}

Image from_mat(const cv::Mat& decoded, const std::string& name) {
  cv::Mat mat = decoded;  // the decoder's own buffer: converting in place is fine
  if (mat.depth() != CV_8U && mat.depth() != CV_16U) {
    throw ImageError(name, "unsupported sample type (only 8- and 16-bit unsigned images are read)");
  }
  switch (mat.channels()) {
    case 1:
      break;
    case 3:
      cv::cvtColor(decoded, mat, cv::COLOR_BGR2RGB);
      break;
    case 4:
      cv::cvtColor(decoded, mat, cv::COLOR_BGRA2RGB);
      break;
    default:
      throw ImageError(name,
                       "unsupported number of channels (" + std::to_string(mat.channels()) + ")");
  }
  return detail::to_image(mat);
}

}  // namespace

ImageFileType detect_image_type(std::string_view first_bytes, const std::string& path) {
  if (starts_with(first_bytes, "\xFF\xD8\xFF")) return ImageFileType::kJpeg;
  if (starts_with(first_bytes, std::string_view("\x89PNG\r\n\x1A\n", 8)))
    return ImageFileType::kPng;
  if (first_bytes.size() >= kSignatureBytes && first_bytes.substr(kDicomMagicOffset, 4) == "DICM") {
    return ImageFileType::kDicom;
  }
  if (has_extension(path, {"dcm", "dicom"})) return ImageFileType::kDicom;
  return ImageFileType::kUnknown;
}

Image decode_image(std::string_view bytes, const std::string& name) {
  if (bytes.empty()) throw ImageError(name, "file is empty");
  const ImageFileType type = detect_image_type(bytes, name);
  if (type == ImageFileType::kJpeg) {
    if (const std::string problem = jpeg_truncation_problem(bytes); !problem.empty()) {
      throw ImageError(name, problem);
    }
  } else if (type == ImageFileType::kPng && !png_has_end_chunk(bytes)) {
    throw ImageError(name, "truncated PNG (no IEND chunk)");
  } else if (type == ImageFileType::kDicom) {
    throw ImageError(name, "DICOM data must be read from a file (read_image)");
  }
  // imdecode wants a Mat header over the bytes; it does not modify them.
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(buffer, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
  } catch (const cv::Exception& e) {
    throw ImageError(name, std::string("cannot decode image (") + e.what() + ")");
  }
  if (decoded.empty()) {
    if (type == ImageFileType::kUnknown) {
      throw ImageError(
          name, "not a JPEG, PNG or DICOM file (it starts with bytes " + hex_prefix(bytes) + ")");
    }
    throw ImageError(name, std::string("cannot decode ") +
                               (type == ImageFileType::kJpeg ? "JPEG" : "PNG") +
                               " data (the file is corrupt or uses an unsupported variant)");
  }
  return from_mat(decoded, name);
}

Image read_image(const std::string& path) {
  // Peek at the signature first: DCMTK reads DICOM files itself, so they are not read twice.
  if (detect_image_type(read_file_bytes(path, kSignatureBytes), path) == ImageFileType::kDicom) {
    return read_dicom(path);
  }
  return decode_image(read_file_bytes(path, std::string::npos), path);
}

}  // namespace rrg::image
