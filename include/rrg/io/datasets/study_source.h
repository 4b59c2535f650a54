// One entry point for every study source, and the selection steps applied after loading
// (an id list, a sample limit, a shard), shared by `rrg generate` and `rrg merge` so that both
// see exactly the same studies in the same order.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rrg/io/datasets/image_folder.h"
#include "rrg/io/datasets/mimic_cxr.h"
#include "rrg/io/datasets/study.h"
#include "rrg/io/shard.h"

namespace rrg::io {

enum class StudySourceKind {
  kNone,          // not set
  kQuestionFile,  // the original toolkit's {"test": [...]} question file (question_file.h)
  kR2Gen,         // R2Gen annotation.json (r2gen_annotation.h)
  kMimicCxr,      // MIMIC-CXR-JPG tree (mimic_cxr.h)
  kImageFolder,   // folder of images (image_folder.h)
  kJsonl,         // rrg's JSONL study list (study_jsonl.h)
};

struct StudySourceOptions {
  StudySourceKind kind = StudySourceKind::kNone;
  // The question/annotation/JSONL file, or the MIMIC / image folder.
  std::string path;
  // Folder that relative image paths are joined to (question file, R2Gen, JSONL); "" = as is.
  std::string image_root;
  // Split of question files, R2Gen annotations and MIMIC ("test" by default).
  std::string split = "test";
  // MIMIC-specific selection (its `root` and `split` are taken from `path` and `split`).
  MimicCxrOptions mimic;
  FolderLayout folder_layout = FolderLayout::kAuto;
};

// Loads the studies of any source. Throws InputError for bad input.
StudyList load_studies(const StudySourceOptions& options);

struct StudySelection {
  // File with one id per line (blank lines and lines starting with '#' ignored); "" = all.
  std::string ids_file;
  // Keep only the first N studies (after the id filter); 0 = all.
  std::size_t max_samples = 0;
  // Keep only this shard (applied last, so shards of a limited run still add up to it).
  ShardSpec shard;
};

// Reads an id list file (see StudySelection::ids_file). Throws InputError when unreadable.
std::vector<std::string> read_id_list(const std::string& path);

// Applies the id filter, the sample limit and the shard, in that order, keeping the order of
// `studies`. Throws InputError naming ids of the list that are not in `studies`.
std::vector<Study> select_studies(std::vector<Study> studies, const StudySelection& selection);

}  // namespace rrg::io
