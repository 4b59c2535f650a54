// Image-encoder grounding (see image_encoder.h): labels, frontal-image choice, normalisation,
// activation and hints around a "torchscript" model of the libtorch module.
#include "rrg/pipelines/image_encoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "rrg/core/errors.h"
#include "rrg/core/torch_module.h"
#include "rrg/image/image_module.h"
#include "rrg/io/report_file.h"
#include "rrg/io/sha256.h"

namespace rrg::pipelines {
namespace {

// torchvision's ImageNet statistics (torchvision.transforms.Normalize in its model docs).
constexpr float kImagenetMean[3] = {0.485f, 0.456f, 0.406f};
constexpr float kImagenetStd[3] = {0.229f, 0.224f, 0.225f};
// Their means, for one-channel ImageNet-normalised models.
constexpr float kImagenetGrayMean = 0.449f;
constexpr float kImagenetGrayStd = 0.226f;
// torchxrayvision datasets.normalize(img, maxval=255): (2 * (img / maxval) - 1) * 1024, in float32.
constexpr float kXrvRange = 1024.0f;

std::string trim(const std::string& text) {
  const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  auto begin = std::find_if_not(text.begin(), text.end(), space);
  auto end = std::find_if_not(text.rbegin(), text.rend(), space).base();
  return begin < end ? std::string(begin, end) : std::string();
}

// "POSTERO-ANTERIOR" -> "POSTEROANTERIOR".
std::string view_key(const std::string& view) {
  std::string out;
  for (unsigned char c : view) {
    if (std::isalnum(c)) out += static_cast<char>(std::toupper(c));
  }
  return out;
}

bool is_frontal(const std::string& view) {
  const std::string key = view_key(view);
  return key == "PA" || key == "AP" || key == "FRONTAL" || key == "POSTEROANTERIOR" ||
         key == "ANTEROPOSTERIOR";
}

int effective_channels(const ImageEncoderOptions& options) {
  if (options.channels == 0) {
    return options.normalization == EncoderNormalization::kImagenet ? 3 : 1;
  }
  return options.channels;
}

std::string two_decimals(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

}  // namespace

EncoderNormalization parse_encoder_normalization(const std::string& name) {
  if (name == "xrv") return EncoderNormalization::kXrv;
  if (name == "imagenet") return EncoderNormalization::kImagenet;
  if (name == "unit") return EncoderNormalization::kUnit;
  throw InputError("unknown encoder normalisation '" + name + "' (expected xrv, imagenet or unit)");
}

EncoderActivation parse_encoder_activation(const std::string& name) {
  if (name == "sigmoid") return EncoderActivation::kSigmoid;
  if (name == "none") return EncoderActivation::kNone;
  throw InputError("unknown encoder activation '" + name + "' (expected sigmoid or none)");
}

std::vector<std::string> read_encoder_labels(const std::string& path) {
  std::string text = io::read_text_file(path);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::vector<std::string> labels;
  std::map<std::string, std::size_t> seen;  // name -> line
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string name = trim(text.substr(start, end - start));
    labels.push_back(name);
    if (!name.empty()) {
      const auto [it, inserted] = seen.emplace(name, labels.size());
      if (!inserted) {
        throw InputError(location_message(path, labels.size(), 0,
                                          "the observation '" + name +
                                              "' is listed twice (also "
                                              "line " +
                                              std::to_string(it->second) +
                                              "); each line names one model output"));
      }
    }
    start = end + 1;
  }
  if (seen.empty()) {
    throw InputError(path +
                     ": no observation names; the labels file lists one name per model "
                     "output, one per line (blank lines for unnamed outputs)");
  }
  return labels;
}

const io::StudyImage& frontal_image(const io::Study& study) {
  if (study.images.empty()) throw InputError("the study has no image for the encoder");
  for (const auto& image : study.images) {
    if (is_frontal(image.view)) return image;
  }
  for (const auto& image : study.images) {
    if (trim(image.view).empty()) return image;
  }
  throw InputError("no frontal image for the encoder (views: " + io::known_views(study) +
                   "); it needs a PA or AP image");
}

std::vector<float> normalize_encoder_input(const std::vector<float>& plane,
                                           EncoderNormalization normalization, int channels) {
  if (channels != 1 && channels != 3) {
    throw InputError("the encoder input has 1 or 3 channels, not " + std::to_string(channels));
  }
  const std::size_t n = plane.size();
  std::vector<float> out(n * static_cast<std::size_t>(channels));
  for (int c = 0; c < channels; ++c) {
    float* dst = out.data() + n * static_cast<std::size_t>(c);
    for (std::size_t i = 0; i < n; ++i) {
      // Each step is one float32 operation in the order the Python references write them.
      const float unit = plane[i] / 255.0f;
      switch (normalization) {
        case EncoderNormalization::kXrv:
          dst[i] = (2.0f * unit - 1.0f) * kXrvRange;
          break;
        case EncoderNormalization::kImagenet: {
          const float mean = channels == 3 ? kImagenetMean[c] : kImagenetGrayMean;
          const float std = channels == 3 ? kImagenetStd[c] : kImagenetGrayStd;
          dst[i] = (unit - mean) / std;
          break;
        }
        case EncoderNormalization::kUnit:
          dst[i] = unit;
          break;
      }
    }
  }
  return out;
}

std::string format_findings_hints(const std::vector<Observation>& probabilities, double threshold) {
  std::vector<Observation> above;
  for (const auto& item : probabilities) {
    if (item.second > threshold) above.push_back(item);
  }
  if (above.empty()) return "no findings above " + two_decimals(threshold);
  std::stable_sort(above.begin(), above.end(),
                   [](const Observation& a, const Observation& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [name, p] : above) {
    out += (out.empty() ? "" : "; ") + name + " (" + two_decimals(p) + ")";
  }
  return out;
}

ImageEncoder::ImageEncoder(ImageEncoderOptions options) : options_(std::move(options)) {
  if (options_.model_path.empty()) throw InputError("the encoder needs a model file (--encoder)");
  if (options_.labels_path.empty()) {
    throw InputError(
        "--encoder needs --encoder-labels FILE: the observation names of the model's "
        "outputs, one per line (see docs/encoder.md)");
  }
  if (options_.channels != 0 && options_.channels != 1 && options_.channels != 3) {
    throw InputError("--encoder-channels must be 1 or 3, not " + std::to_string(options_.channels));
  }
  if (options_.input.size < 1 || options_.input.size > 4096) {
    throw InputError("--encoder-size must be between 1 and 4096 pixels, not " +
                     std::to_string(options_.input.size));
  }
  if (!(options_.threshold >= 0.0 && options_.threshold <= 1.0)) {
    throw InputError("--encoder-threshold must be between 0 and 1");
  }
  labels_ = read_encoder_labels(options_.labels_path);
  if (!std::filesystem::is_regular_file(options_.model_path)) {
    throw InputError(options_.model_path + ": no such model file (--encoder)");
  }
  identity_ = std::filesystem::path(options_.model_path).filename().string() +
              "@sha256:" + io::sha256_file_hex(options_.model_path);
  model_ = TorchModel::load("torchscript", {{"model", options_.model_path},
                                            {"threads", std::to_string(options_.threads)}});
  // A blank image checks the input shape and the output width before any study is read.
  const std::size_t plane = static_cast<std::size_t>(options_.input.size) * options_.input.size;
  const std::size_t width =
      run_model(
          std::vector<float>(plane * static_cast<std::size_t>(effective_channels(options_)), 0.0f))
          .size();
  if (width != labels_.size()) {
    throw InputError(options_.labels_path + ": " + std::to_string(labels_.size()) +
                     " label line(s), but the model " + options_.model_path + " outputs " +
                     std::to_string(width) +
                     " value(s) per image; give one line per output, in the model's order "
                     "(a blank line for an output to ignore)");
  }
}

ImageEncoder::~ImageEncoder() = default;

std::vector<float> ImageEncoder::run_model(const std::vector<float>& input) {
  const std::int64_t size = options_.input.size;
  const std::int64_t channels = effective_channels(options_);
  std::lock_guard<std::mutex> lock(model_mutex_);
  std::vector<TorchOutput> outputs =
      model_->run({{TorchDtype::kFloat32, {1, channels, size, size}, input.data()}});
  return std::move(outputs.at(0).data);
}

EncoderResult ImageEncoder::encode(const io::Study& study) {
  EncoderResult result;
  result.image = frontal_image(study).path;
  const std::vector<float> plane =
      image::read_encoder_input_in_module(result.image, options_.input);
  const std::vector<float> scores = run_model(
      normalize_encoder_input(plane, options_.normalization, effective_channels(options_)));
  for (std::size_t i = 0; i < labels_.size() && i < scores.size(); ++i) {
    if (labels_[i].empty()) continue;
    const double score = scores[i];
    const double p =
        options_.activation == EncoderActivation::kSigmoid ? 1.0 / (1.0 + std::exp(-score)) : score;
    result.probabilities.emplace_back(labels_[i], p);
  }
  result.hints = format_findings_hints(result.probabilities, options_.threshold);
  return result;
}

std::string ImageEncoder::hints(const io::Study& study) {
  return encode(study).hints;
}

}  // namespace rrg::pipelines
