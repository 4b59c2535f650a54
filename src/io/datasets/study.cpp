// Study helpers (see study.h).
#include "rrg/io/datasets/study.h"

#include <unordered_map>

#include "rrg/core/errors.h"

namespace rrg::io {
namespace {

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

std::string resolve_image_path(const std::string& root, const std::string& path) {
  if (starts_with(path, "http://") || starts_with(path, "https://") || starts_with(path, "data:")) {
    return path;
  }
  std::string p = starts_with(path, "file://") ? path.substr(7) : path;
  if (root.empty() || p.empty() || p.front() == '/') return p;
  return root.back() == '/' ? root + p : root + "/" + p;
}

void check_unique_ids(const std::vector<Study>& studies) {
  std::unordered_map<std::string, const Study*> seen;
  seen.reserve(studies.size());
  for (const auto& study : studies) {
    auto [it, inserted] = seen.emplace(study.id, &study);
    if (!inserted) {
      throw InputError(study.origin + ": study id \"" + study.id + "\" is used twice (first at " +
                       it->second->origin + "); ids must be unique");
    }
  }
}

std::string known_views(const Study& study) {
  std::string out;
  for (const auto& image : study.images) {
    if (image.view.empty()) continue;
    if (!out.empty()) out += ", ";
    out += image.view;
  }
  return out;
}

}  // namespace rrg::io
