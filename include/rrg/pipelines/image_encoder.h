// Image-encoder grounding for `rrg generate`: a TorchScript chest X-ray classifier (e.g. a
// torchxrayvision DenseNet exported with torch.jit) run on each study's frontal image, whose
// observations above a threshold fill the prompt's {findings_hints}, e.g.
// "Cardiomegaly (0.81); Effusion (0.64)". docs/encoder.md is the user's guide.
//
// The model runs in the libtorch module (rrg/core/torch_module.h, kind "torchscript"), loaded
// only when an ImageEncoder is constructed; images are read by the image module
// (rrg/image/encoder_input.h documents the grayscale/crop/resize convention). This file adds the
// normalisation, the output activation, the labels and the hints text.
//
// Normalisation of a sample p in [0, 255] (after the resize):
//   kXrv       torchxrayvision's datasets.normalize(img, 255): (2 * (p / 255) - 1) * 1024, i.e.
//              [-1024, 1024], the range every torchxrayvision model was trained on.
//              torchxrayvision normalises before the crop and resize; rrg after. Both steps are
//              linear, so the results agree up to float32 rounding.
//   kImagenet  (p / 255 - mean[c]) / std[c] with torchvision's ImageNet statistics
//              mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225); the gray plane is repeated
//              into the channels. With one channel the means of those values (0.449, 0.226).
//   kUnit      p / 255, i.e. [0, 1].
// Channels: 1, or 3 by repeating the gray plane (ImageNet-pretrained models); 0 = 3 for
// kImagenet, else 1.
// Output activation: kSigmoid (default: the model outputs logits) or kNone (it already outputs
// probabilities, as a torchxrayvision model with its op_threshs calibration does).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "rrg/image/preprocess_options.h"
#include "rrg/io/datasets/study.h"
#include "rrg/pipelines/generate_prompt.h"

namespace rrg {
class TorchModel;
}

namespace rrg::pipelines {

enum class EncoderNormalization { kXrv, kImagenet, kUnit };
enum class EncoderActivation { kSigmoid, kNone };

// "xrv" / "imagenet" / "unit" and "sigmoid" / "none"; InputError naming the accepted values.
EncoderNormalization parse_encoder_normalization(const std::string& name);
EncoderActivation parse_encoder_activation(const std::string& name);

struct ImageEncoderOptions {
  // TorchScript file (torch.jit.save, PyTorch <= 1.13).
  std::string model_path;
  // One observation name per model output (see read_encoder_labels).
  std::string labels_path;
  // Input size, crop/stretch, 16-bit mapping (encoder_input.h).
  image::EncoderInputOptions input;
  EncoderNormalization normalization = EncoderNormalization::kXrv;
  // 1 or 3; 0 = 3 for kImagenet, else 1.
  int channels = 0;
  EncoderActivation activation = EncoderActivation::kSigmoid;
  // Observations whose probability is strictly above this go into the hints.
  double threshold = 0.5;
  // libtorch intra-op threads; 0 = libtorch's default (one per core).
  int threads = 0;
};

// The labels file: one observation name per line, in the order of the model's outputs. A blank
// line is an unnamed output that rrg ignores (torchxrayvision models list "" for pathologies a
// set of weights was not trained on). Surrounding spaces and a final CR are removed; a UTF-8 BOM
// is skipped; a final newline does not make an extra output. Throws InputError for a missing
// file, a file without any name, or a name given twice (path:line).
std::vector<std::string> read_encoder_labels(const std::string& path);

// The image the encoder sees: the first image whose view is frontal (PA, AP, FRONTAL,
// POSTERO-ANTERIOR, ANTERO-POSTERIOR; case, spaces and hyphens ignored), else the first image
// whose view is unknown (""). Throws InputError when the study has no image, or only images of
// other known views (e.g. only a lateral): classifiers trained on frontal films are not meant
// for them.
const io::StudyImage& frontal_image(const io::Study& study);

// The C x size x size model input from a size x size plane of samples in [0, 255] (see the file
// comment). `channels` is 1 or 3.
std::vector<float> normalize_encoder_input(const std::vector<float>& plane,
                                           EncoderNormalization normalization, int channels);

// An observation and its probability.
using Observation = std::pair<std::string, double>;

// "Cardiomegaly (0.81); Effusion (0.64)": the observations strictly above `threshold`, highest
// first (ties in label order), two decimals. When none is above: "no findings above 0.50".
std::string format_findings_hints(const std::vector<Observation>& probabilities, double threshold);

struct EncoderResult {
  std::string image;                       // path of the frontal image used
  std::vector<Observation> probabilities;  // named outputs, in label order
  std::string hints;                       // format_findings_hints of them
};

class ImageEncoder : public FindingsHintsProvider {
 public:
  // Reads the labels, loads the libtorch module and the model, and runs it once on a blank
  // image to check that it accepts the input and outputs one value per label line. Throws
  // InputError for a missing/corrupt model, a bad labels file or a count mismatch (naming both
  // numbers), std::runtime_error when the libtorch module cannot be loaded.
  explicit ImageEncoder(ImageEncoderOptions options);
  ~ImageEncoder() override;
  ImageEncoder(const ImageEncoder&) = delete;
  ImageEncoder& operator=(const ImageEncoder&) = delete;

  // Reads the study's frontal image and classifies it. Thread-safe: images are read in parallel,
  // the model runs one image at a time. Throws InputError / image::ImageError for the study.
  EncoderResult encode(const io::Study& study);

  // FindingsHintsProvider: encode(study).hints.
  std::string hints(const io::Study& study) override;

  // "MODEL_FILE_NAME@sha256:HEX" of the model file, for output records.
  const std::string& identity() const { return identity_; }
  // The label lines ("" for unnamed outputs).
  const std::vector<std::string>& labels() const { return labels_; }
  const ImageEncoderOptions& options() const { return options_; }

 private:
  std::vector<float> run_model(const std::vector<float>& input);

  ImageEncoderOptions options_;
  std::vector<std::string> labels_;
  std::string identity_;
  std::unique_ptr<TorchModel> model_;
  std::mutex model_mutex_;
};

}  // namespace rrg::pipelines
