// Study-source flags (see study_flags.h).
#include "study_flags.h"

#include <iostream>

#include "rrg/core/errors.h"

namespace rrg::cli {

void add_study_flags(CLI::App* cmd, StudyFlags& f, bool selection) {
  const char* group = "Studies";
  cmd->add_option("--questions", f.questions,
                  "The original toolkit's question file {\"test\": [{\"id\", \"content\"}]}")
      ->type_name("FILE")
      ->group(group);
  cmd->add_option("--r2gen", f.r2gen, "R2Gen annotation.json (with --image-root and --split)")
      ->type_name("FILE")
      ->group(group);
  cmd->add_option("--mimic", f.mimic,
                  "MIMIC-CXR-JPG folder holding files/ and the split/metadata CSVs (.csv or "
                  ".csv.gz)")
      ->type_name("DIR")
      ->group(group);
  cmd->add_option("--images", f.images, "A folder of images: one study per image or per sub-folder")
      ->type_name("DIR")
      ->group(group);
  cmd->add_option("--studies", f.studies,
                  "JSONL study list {\"id\", \"images\": [...], \"prompt\"?, \"indication\"?}")
      ->type_name("FILE")
      ->group(group);
  cmd->add_option("--image-root", f.image_root,
                  "Folder relative image paths are joined to (question file, R2Gen, JSONL); "
                  "default: as written, relative to the working directory")
      ->type_name("DIR")
      ->group(group);
  cmd->add_option("--split", f.split, "Split to use: test, train, val/validate (MIMIC also: all)")
      ->type_name("NAME")
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--views", f.views,
                  "MIMIC: ViewPosition values to keep, in order of preference; * = any other")
      ->type_name("LIST")
      ->delimiter(',')
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--max-images-per-study", f.max_images_per_study,
                  "MIMIC: images kept per study after ordering by view (0 = all)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(group);
  cmd->add_flag("--per-image", f.per_image, "MIMIC: one request per image, ids are dicom ids")
      ->group(group);
  cmd->add_option("--mimic-split-csv", f.mimic_split_csv,
                  "MIMIC: split CSV (default: DIR/mimic-cxr-2.0.0-split.csv[.gz])")
      ->type_name("FILE")
      ->group(group);
  cmd->add_option("--mimic-metadata-csv", f.mimic_metadata_csv,
                  "MIMIC: metadata CSV (default: DIR/mimic-cxr-2.0.0-metadata.csv[.gz])")
      ->type_name("FILE")
      ->group(group);
  cmd->add_option("--mimic-reports", f.mimic_reports,
                  "MIMIC: mimic-cxr-reports folder; fills {indication} from each report")
      ->type_name("DIR")
      ->group(group);
  cmd->add_option("--image-ext", f.image_ext, "MIMIC: image file extension (.dcm for MIMIC-CXR)")
      ->type_name("EXT")
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--folder-layout", f.folder_layout, "--images: auto, per-image or per-subfolder")
      ->type_name("LAYOUT")
      ->check(CLI::IsMember({"auto", "per-image", "per-subfolder"}))
      ->capture_default_str()
      ->group(group);
  if (selection) {
    cmd->add_option("--ids", f.ids_file, "Only the ids listed in FILE (one per line)")
        ->type_name("FILE")
        ->group(group);
    cmd->add_option("--max-samples", f.max_samples,
                    "Only the first N studies (before sharding; 0 = all)")
        ->type_name("N")
        ->capture_default_str()
        ->group(group);
  }
}

bool has_study_source(const StudyFlags& f) {
  return !(f.questions.empty() && f.r2gen.empty() && f.mimic.empty() && f.images.empty() &&
           f.studies.empty());
}

io::StudySourceOptions study_source_options(const StudyFlags& f) {
  io::StudySourceOptions o;
  int given = 0;
  const auto take = [&](const std::string& value, io::StudySourceKind kind) {
    if (value.empty()) return;
    ++given;
    o.kind = kind;
    o.path = value;
  };
  take(f.questions, io::StudySourceKind::kQuestionFile);
  take(f.r2gen, io::StudySourceKind::kR2Gen);
  take(f.mimic, io::StudySourceKind::kMimicCxr);
  take(f.images, io::StudySourceKind::kImageFolder);
  take(f.studies, io::StudySourceKind::kJsonl);
  if (given != 1) {
    throw InputError(std::string(given == 0 ? "no studies given" : "several study sources given") +
                     ": use exactly one of --questions, --r2gen, --mimic, --images, --studies");
  }
  o.image_root = f.image_root;
  o.split = f.split;
  o.mimic.views = f.views;
  o.mimic.max_images_per_study = f.max_images_per_study;
  o.mimic.per_image = f.per_image;
  o.mimic.split_csv = f.mimic_split_csv;
  o.mimic.metadata_csv = f.mimic_metadata_csv;
  o.mimic.reports_root = f.mimic_reports;
  o.mimic.image_extension = f.image_ext;
  o.folder_layout = io::parse_folder_layout(f.folder_layout);
  return o;
}

std::vector<io::Study> load_selected_studies(const StudyFlags& flags, const io::ShardSpec& shard) {
  io::StudyList list = io::load_studies(study_source_options(flags));
  for (const auto& note : list.notes) std::cerr << "rrg: warning: " << note << "\n";
  io::StudySelection selection;
  selection.ids_file = flags.ids_file;
  selection.max_samples = flags.max_samples;
  selection.shard = shard;
  return io::select_studies(std::move(list.studies), selection);
}

}  // namespace rrg::cli
