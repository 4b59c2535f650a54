// The study-source flags shared by `rrg generate` and `rrg merge` (defined once so both accept
// the same spelling and defaults): which dataset, which split and views, and which subset.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "rrg/io/datasets/study_source.h"

namespace rrg::cli {

struct StudyFlags {
  std::string questions;
  std::string r2gen;
  std::string mimic;
  std::string images;
  std::string studies;
  std::string image_root;
  std::string split = "test";
  std::vector<std::string> views = io::MimicCxrOptions{}.views;
  int max_images_per_study = 0;
  bool per_image = false;
  std::string mimic_split_csv;
  std::string mimic_metadata_csv;
  std::string mimic_reports;
  std::string image_ext = ".jpg";
  std::string folder_layout = "auto";
  // Selection.
  std::string ids_file;
  std::size_t max_samples = 0;
};

// Adds the source flags (group "Studies") and, with `selection`, --ids and --max-samples.
void add_study_flags(CLI::App* cmd, StudyFlags& flags, bool selection);

// True when one of --questions/--r2gen/--mimic/--images/--studies was given.
bool has_study_source(const StudyFlags& flags);

// Resolves the flags; throws InputError when none or several sources are given.
io::StudySourceOptions study_source_options(const StudyFlags& flags);

// Loads the source, prints its notes as warnings on stderr, applies --ids / --max-samples
// (and `shard`).
std::vector<io::Study> load_selected_studies(const StudyFlags& flags,
                                             const io::ShardSpec& shard = {});

}  // namespace rrg::cli
