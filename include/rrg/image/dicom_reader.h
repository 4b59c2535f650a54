// Reading DICOM images with DCMTK into a display-ready 8-bit rrg::image::Image.
//
// The rendering follows the DICOM grayscale pipeline (PS3.3 C.11): the Modality LUT (Rescale
// Slope/Intercept or a Modality LUT Sequence) turns stored values into modality units, then the
// VOI transform picks the displayed range: the file's first Window Center/Width, else its first
// VOI LUT, else the full min..max range of the image. MONOCHROME1 images (where low values are
// white) are inverted so that, like MONOCHROME2, bone is bright. Colour images are converted to
// RGB. Only the first frame of a multi-frame object is read.
//
// Compressed transfer syntaxes DCMTK 3.6.7 decodes are supported: JPEG baseline/extended/
// lossless (dcmjpeg), JPEG-LS (dcmjpls) and RLE (dcmdata). JPEG 2000 is not (DCMTK's free
// edition has no JPEG 2000 codec); such files give an ImageError saying so.
//
// The decoders are registered once per process on first use, and DCMTK's own log output is
// limited to fatal messages: failures are reported through ImageError instead.
#pragma once

#include <string>

#include "rrg/image/image.h"

namespace rrg::image {

// Reads and renders the first frame. Throws ImageError naming the file and the problem.
Image read_dicom(const std::string& path);

}  // namespace rrg::image
