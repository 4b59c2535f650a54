// Chat messages for `rrg generate` (see generate_request.h).
#include "rrg/pipelines/generate_request.h"

#include "rrg/core/errors.h"
#include "rrg/image/data_url.h"
#include "rrg/image/image_module.h"

namespace rrg::pipelines {
namespace {

bool is_url(const std::string& path) {
  return path.rfind("http://", 0) == 0 || path.rfind("https://", 0) == 0 ||
         path.rfind("data:", 0) == 0;
}

}  // namespace

ImageUrlStyle parse_image_url_style(const std::string& name) {
  if (name == "object") return ImageUrlStyle::kObject;
  if (name == "string") return ImageUrlStyle::kString;
  throw InputError("unknown image URL style '" + name + "' (expected object or string)");
}

nlohmann::json image_part(const std::string& url, const RequestImageOptions& options) {
  nlohmann::json part = {{"type", "image_url"}};
  if (options.url_style == ImageUrlStyle::kString) {
    part["image_url"] = url;
  } else {
    part["image_url"] = {{"url", url}};
    if (!options.detail.empty()) part["image_url"]["detail"] = options.detail;
  }
  return part;
}

std::string image_url_for(const io::StudyImage& image, const RequestImageOptions& options) {
  if (is_url(image.path)) return image.path;
  const image::EncodedImage encoded =
      image::prepare_image_file_in_module(image.path, options.preprocess);
  return image::make_data_url(encoded.mime_type, encoded.bytes);
}

nlohmann::json build_study_messages(const io::Study& study, const GeneratePrompt& prompt,
                                    const RequestImageOptions& options) {
  nlohmann::json content = nlohmann::json::array();
  for (const auto& image : study.images) {
    content.push_back(image_part(image_url_for(image, options), options));
  }
  content.push_back({{"type", "text"}, {"text", prompt.user_text(study)}});
  nlohmann::json messages = nlohmann::json::array();
  if (!prompt.system().empty()) {
    messages.push_back({{"role", "system"}, {"content", prompt.system()}});
  }
  messages.push_back({{"role", "user"}, {"content", std::move(content)}});
  return messages;
}

}  // namespace rrg::pipelines
