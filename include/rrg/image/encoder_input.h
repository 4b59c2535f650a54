// The pixels an image classifier (the `rrg generate --encoder` TorchScript model) receives: one
// grayscale plane, cropped or stretched to a square and resized to size x size. Plain types, no
// OpenCV; the work happens in the image module (image_module.h) or rrg_image.
//
// The convention follows torchxrayvision's preprocessing of chest X-rays
// (torchxrayvision/datasets.py: normalize, the channel mean, XRayCenterCrop, XRayResizer):
//   1. 16-bit images become 8-bit first (preprocess.h's Depth16Mapping), as for the LLM path;
//      DICOM files are rendered to 8 bits through their VOI window (dicom_reader.h).
//   2. Grayscale: a colour image is the plain mean of its R, G and B samples, computed in
//      float32 (torchxrayvision: `img.mean(2)`), not a luminance weighting.
//   3. kCenterCrop (torchxrayvision's XRayCenterCrop): the centred square of side
//      min(width, height), starting at x = width/2 - side/2, y = height/2 - side/2 (integer
//      division). kStretch resizes the whole image to a square, ignoring the aspect ratio.
//   4. Resize to size x size with OpenCV's INTER_AREA on float32 samples (torchxrayvision's
//      XRayResizer(engine="cv2") uses the same call; its default skimage engine differs by small
//      interpolation details). INTER_AREA averages pixel areas when shrinking and is bilinear
//      when enlarging.
// (EncoderInputOptions lives in preprocess_options.h, with the other options the CLI parses.)
// The result holds values in [0, 255] (not rounded); normalisation (e.g. to [-1024, 1024]) is the
// caller's business (pipelines/image_encoder.h).
#pragma once

#include <string>
#include <vector>

#include "rrg/image/preprocess_options.h"

namespace rrg::image {

struct Image;

// size * size float samples in [0, 255], rows top to bottom (steps 1-4 above). Throws InputError
// for a size outside 1..4096.
std::vector<float> encoder_input(const Image& image, const EncoderInputOptions& options);

// read_image + encoder_input. Throws ImageError for unreadable files.
std::vector<float> read_encoder_input(const std::string& path, const EncoderInputOptions& options);

}  // namespace rrg::image
