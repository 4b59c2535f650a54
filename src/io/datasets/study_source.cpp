// Study source dispatch and selection (see study_source.h).
#include "rrg/io/datasets/study_source.h"

#include <unordered_set>

#include "rrg/core/errors.h"
#include "rrg/io/datasets/question_file.h"
#include "rrg/io/datasets/r2gen_annotation.h"
#include "rrg/io/datasets/study_jsonl.h"
#include "rrg/io/report_file.h"

namespace rrg::io {

StudyList load_studies(const StudySourceOptions& options) {
  switch (options.kind) {
    case StudySourceKind::kQuestionFile:
      return read_question_file(options.path, options.image_root, options.split);
    case StudySourceKind::kR2Gen:
      return read_r2gen_annotation(options.path, options.image_root, options.split);
    case StudySourceKind::kMimicCxr: {
      MimicCxrOptions mimic = options.mimic;
      mimic.root = options.path;
      mimic.split = options.split;
      return read_mimic_cxr(mimic);
    }
    case StudySourceKind::kImageFolder:
      return read_image_folder(options.path, options.folder_layout);
    case StudySourceKind::kJsonl:
      return read_study_jsonl(options.path, options.image_root);
    case StudySourceKind::kNone:
      break;
  }
  throw InputError("no study source given");
}

std::vector<std::string> read_id_list(const std::string& path) {
  const std::string content = read_text_file(path);
  std::vector<std::string> ids;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    std::string line = content.substr(pos, end - pos);
    pos = end + 1;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto last = line.find_last_not_of(" \t\r");
    ids.push_back(line.substr(first, last - first + 1));
  }
  return ids;
}

std::vector<Study> select_studies(std::vector<Study> studies, const StudySelection& selection) {
  if (!selection.ids_file.empty()) {
    const std::vector<std::string> ids = read_id_list(selection.ids_file);
    const std::unordered_set<std::string> wanted(ids.begin(), ids.end());
    std::unordered_set<std::string> known;
    for (const auto& s : studies) known.insert(s.id);
    std::vector<std::string> unknown;
    for (const auto& id : ids) {
      if (known.count(id) == 0) unknown.push_back(id);
    }
    if (!unknown.empty()) {
      throw InputError(selection.ids_file + ": " + std::to_string(unknown.size()) + " of " +
                       std::to_string(ids.size()) + " ids are not in the study source (" +
                       sample_list(unknown) + ")");
    }
    std::vector<Study> kept;
    for (auto& s : studies) {
      if (wanted.count(s.id) != 0) kept.push_back(std::move(s));
    }
    studies = std::move(kept);
  }
  if (selection.max_samples > 0 && studies.size() > selection.max_samples) {
    studies.resize(selection.max_samples);
  }
  if (selection.shard.count > 1) {
    std::vector<Study> kept;
    for (auto& s : studies) {
      if (in_shard(s.id, selection.shard)) kept.push_back(std::move(s));
    }
    studies = std::move(kept);
  }
  return studies;
}

}  // namespace rrg::io
