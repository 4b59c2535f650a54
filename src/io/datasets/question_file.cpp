// The original toolkit's question file (see question_file.h).
#include "rrg/io/datasets/question_file.h"

#include "json_input.h"
#include "rrg/io/report_file.h"

namespace rrg::io {

using detail::json;

StudyList read_question_file(const std::string& path, const std::string& image_root,
                             const std::string& split) {
  const json doc = detail::parse_json_document(path, read_text_file(path));
  if (!doc.is_object()) {
    throw InputError(path + ": expected a question file {\"" + split + "\": [...]}, got " +
                     detail::type_name(doc));
  }
  const auto list = doc.find(split);
  if (list == doc.end() || !list->is_array()) {
    const std::string keys = detail::key_list(doc);
    throw InputError(path + ": no \"" + split + "\" array of questions (the file has " +
                     (keys.empty() ? "no keys" : keys) + ")");
  }
  StudyList out;
  std::size_t index = 0;
  for (const auto& entry : *list) {
    const std::string where = path + ": " + split + "[" + std::to_string(index++) + "]";
    if (!entry.is_object()) {
      throw InputError(where + ": expected {\"id\", \"role\", \"content\"}, got " +
                       detail::type_name(entry));
    }
    Study study;
    study.origin = where;
    study.id = detail::required_id(entry, where);
    const auto content = entry.find("content");
    if (content == entry.end() || !content->is_array()) {
      throw InputError(where + ": field \"content\" must be an array of image and text items");
    }
    for (const auto& item : *content) {
      const std::string type = item.is_object() ? detail::optional_string(item, "type", where) : "";
      if (type == "image") {
        const std::string image = detail::optional_string(item, "image", where);
        if (image.empty()) throw InputError(where + ": an image item has no \"image\" path");
        study.images.push_back({resolve_image_path(image_root, image), "", ""});
      } else if (type == "text") {
        if (!study.prompt.empty()) study.prompt += "\n";
        study.prompt += detail::optional_string(item, "text", where);
      } else {
        throw InputError(where +
                         ": content items must be {\"type\": \"image\", \"image\": ...} or "
                         "{\"type\": \"text\", \"text\": ...}, got " +
                         item.dump());
      }
    }
    if (study.images.empty()) throw InputError(where + ": the question has no image");
    out.studies.push_back(std::move(study));
  }
  check_unique_ids(out.studies);
  return out;
}

}  // namespace rrg::io
