// JSONL study lists (see study_jsonl.h).
#include "rrg/io/datasets/study_jsonl.h"

#include "json_input.h"
#include "rrg/io/report_file.h"

namespace rrg::io {

using detail::json;

StudyList read_study_jsonl(const std::string& path, const std::string& image_root) {
  const std::string content = read_text_file(path);
  StudyList out;
  detail::for_each_jsonl_line(content, [&](std::size_t line_no, std::string_view line) {
    const std::string where = path + ":" + std::to_string(line_no);
    const json object = detail::parse_json_line(path, line_no, line);
    if (!object.is_object()) {
      throw InputError(where + ": expected {\"id\", \"images\": [...]}, got " +
                       detail::type_name(object));
    }
    Study study;
    study.origin = where;
    study.id = detail::required_id(object, where);
    const auto images = object.find("images");
    if (images == object.end() || !images->is_array() || images->empty()) {
      throw InputError(where + ": field \"images\" must be a non-empty array of paths");
    }
    for (const auto& image : *images) {
      StudyImage item;
      if (image.is_string()) {
        item.path = image.get<std::string>();
      } else if (image.is_object()) {
        item.path = detail::optional_string(image, "path", where);
        item.view = detail::optional_string(image, "view", where);
      }
      if (item.path.empty()) {
        throw InputError(where +
                         ": \"images\" entries must be paths or {\"path\", \"view\"?}, got " +
                         image.dump());
      }
      item.path = resolve_image_path(image_root, item.path);
      study.images.push_back(std::move(item));
    }
    study.prompt = detail::optional_string(object, "prompt", where);
    study.indication = detail::optional_string(object, "indication", where);
    study.reference = detail::optional_string(object, "reference", where);
    out.studies.push_back(std::move(study));
  });
  check_unique_ids(out.studies);
  return out;
}

}  // namespace rrg::io
