// Reading image files into rrg::image::Image: JPEG and PNG through OpenCV, DICOM through DCMTK
// (dicom_reader.h), chosen by the file's signature bytes rather than its name.
//
// Depth is kept: 16-bit PNGs come back 16-bit (OpenCV IMREAD_ANYDEPTH), grayscale stays one
// channel (IMREAD_ANYCOLOR), an alpha channel is dropped, and the EXIF orientation of JPEGs is
// applied. Other formats OpenCV decodes (BMP, TIFF, WebP) are accepted too.
//
// Every failure is an ImageError naming the file and the problem (missing, empty, truncated,
// corrupt, unsupported); none of these functions crash or print on bad files. Safe to call from
// several threads at once.
#pragma once

#include <string>
#include <string_view>

#include "rrg/image/image.h"

namespace rrg::image {

enum class ImageFileType { kUnknown, kJpeg, kPng, kDicom };

// Recognises a file from its first bytes (at least 132 to see the DICOM "DICM" marker): JPEG
// (FF D8 FF), PNG (its 8-byte signature), DICOM Part 10 ("DICM" at offset 128). Files without a
// signature named *.dcm / *.dicom count as DICOM (a bare dataset without the Part 10 header).
ImageFileType detect_image_type(std::string_view first_bytes, const std::string& path);

// Reads any supported file. Throws ImageError.
Image read_image(const std::string& path);

// Decodes an encoded JPEG/PNG (or other OpenCV format) held in memory, e.g. the payload of a data
// URL. `name` is used in error messages. Throws ImageError.
Image decode_image(std::string_view bytes, const std::string& name);

}  // namespace rrg::image
