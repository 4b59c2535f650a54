// The Chat Completions messages `rrg generate` sends for one study: an optional system message,
// then one user message whose content array holds every image of the study followed by the text
// prompt (images first, then text, the order of the Qwen2-VL model card examples):
//
//   [{"role": "system", "content": SYSTEM},                                  (when set)
//    {"role": "user", "content": [
//       {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,..."}}, ...,
//       {"type": "text", "text": PROMPT}]}]
//
// Image files are read and preprocessed (rrg/image/preprocess.h) into data: URLs; paths that
// are already URLs (http://, https://, data:) are passed through untouched. Some servers take
// the URL as a bare string ("image_url": "data:..."), selected with ImageUrlStyle::kString.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "rrg/image/preprocess_options.h"
#include "rrg/io/datasets/study.h"
#include "rrg/pipelines/generate_prompt.h"

namespace rrg::pipelines {

enum class ImageUrlStyle {
  kObject,  // {"image_url": {"url": URL}} (OpenAI, vLLM, SGLang, Ollama, llama.cpp)
  kString,  // {"image_url": URL} (older servers and some proxies)
};

// "object" or "string"; throws InputError otherwise.
ImageUrlStyle parse_image_url_style(const std::string& name);

struct RequestImageOptions {
  image::PreprocessOptions preprocess;
  ImageUrlStyle url_style = ImageUrlStyle::kObject;
  // OpenAI's "detail" field ("low", "high", "auto"); "" = not sent.
  std::string detail;
};

// One image part for `url` (a data: or http(s) URL).
nlohmann::json image_part(const std::string& url, const RequestImageOptions& options);

// The data: URL sent for one image of a study (reads and preprocesses files; URLs unchanged).
// Throws image::ImageError for unreadable images.
std::string image_url_for(const io::StudyImage& image, const RequestImageOptions& options);

// The messages array for `study`. Throws image::ImageError for an unreadable image, and whatever
// the prompt's hints provider throws.
nlohmann::json build_study_messages(const io::Study& study, const GeneratePrompt& prompt,
                                    const RequestImageOptions& options);

}  // namespace rrg::pipelines
