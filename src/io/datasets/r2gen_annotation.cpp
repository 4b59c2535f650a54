// R2Gen annotation.json as a study source (see r2gen_annotation.h).
#include "rrg/io/datasets/r2gen_annotation.h"

#include "json_input.h"
#include "rrg/io/report_file.h"

namespace rrg::io {

using detail::json;

StudyList read_r2gen_annotation(const std::string& path, const std::string& image_root,
                                const std::string& split) {
  const json doc = detail::parse_json_document(path, read_text_file(path));
  auto list = doc.is_object() ? doc.find(split) : doc.end();
  // MIMIC-CXR calls the validation split "validate", R2Gen "val": accept either name.
  if (list == doc.end() && (split == "validate" || split == "val")) {
    list = doc.find(split == "val" ? "validate" : "val");
  }
  if (!doc.is_object() || list == doc.end() || !list->is_array()) {
    const std::string keys = detail::key_list(doc);
    throw InputError(path + ": no \"" + split + "\" array in this R2Gen annotation file (it has " +
                     (keys.empty() ? "no splits" : keys) +
                     "); choose the split with --split train|val|test");
  }
  StudyList out;
  std::size_t index = 0;
  for (const auto& entry : *list) {
    const std::string where = path + ": " + split + "[" + std::to_string(index++) + "]";
    if (!entry.is_object()) {
      throw InputError(where + ": expected {\"id\", \"report\", \"image_path\"}, got " +
                       detail::type_name(entry));
    }
    Study study;
    study.origin = where;
    study.id = detail::required_id(entry, where);
    study.reference = detail::optional_string(entry, "report", where);
    const auto paths = entry.find("image_path");
    if (paths == entry.end() || !paths->is_array() || paths->empty()) {
      throw InputError(where + ": field \"image_path\" must be a non-empty array of paths");
    }
    for (const auto& p : *paths) {
      if (!p.is_string()) {
        throw InputError(where + ": \"image_path\" entries must be strings, got " +
                         detail::type_name(p));
      }
      study.images.push_back({resolve_image_path(image_root, p.get<std::string>()), "", ""});
    }
    out.studies.push_back(std::move(study));
  }
  check_unique_ids(out.studies);
  return out;
}

}  // namespace rrg::io
