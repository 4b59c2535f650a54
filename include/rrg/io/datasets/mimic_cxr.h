// The MIMIC-CXR-JPG 2.0.0 / 2.1.0 tree as a study source (PhysioNet, Johnson et al. 2019):
//   ROOT/files/pXX/pSUBJECT/sSTUDY/DICOM_ID.jpg   (XX = first two digits of SUBJECT)
//   ROOT/mimic-cxr-2.0.0-split.csv[.gz]           dicom_id, study_id, subject_id, split
//   ROOT/mimic-cxr-2.0.0-metadata.csv[.gz]        dicom_id, subject_id, study_id, ViewPosition, ...
// The MIMIC-CXR DICOM tree has the same layout with .dcm files (image_extension ".dcm").
//
// Selection: the images of the chosen split, grouped into one study per study_id; within a
// study only images whose ViewPosition is in `views` are kept, ordered by their position in that
// list (then by dicom_id), and at most `max_images_per_study` of them. Studies are ordered by
// study_id. With `per_image`, every kept image is its own study with the dicom_id as id.
// Image files are not opened here: a missing file becomes that study's error when it is read.
//
// With `reports_root` (the mimic-cxr-reports folder, ROOT/files/pXX/pSUBJECT/sSTUDY.txt), each
// study's INDICATION section becomes its indication and its findings/impression its reference
// (see rrg/text/report_sections.h).
#pragma once

#include <string>
#include <vector>

#include "rrg/io/datasets/study.h"

namespace rrg::io {

struct MimicCxrOptions {
  // Folder holding files/ and, by default, the two CSV files.
  std::string root;
  // Split and metadata CSVs (plain or gzip-compressed); "" = the PhysioNet names in `root`,
  // with or without .gz.
  std::string split_csv;
  std::string metadata_csv;
  // "train", "validate" (alias "val"), "test", or "all".
  std::string split = "test";
  // ViewPosition values to keep, in order of preference (compared case-insensitively). "*"
  // matches any view, including an empty ViewPosition, at its place in the list.
  std::vector<std::string> views = {"PA", "AP", "LATERAL", "LL"};
  // Images kept per study after ordering; 0 = all.
  int max_images_per_study = 0;
  // One study per image (id = dicom_id) instead of one per study (id = study_id).
  bool per_image = false;
  // Extension of the image files: ".jpg" (MIMIC-CXR-JPG) or ".dcm" (MIMIC-CXR).
  std::string image_extension = ".jpg";
  // Optional mimic-cxr-reports folder (see above); "" = none.
  std::string reports_root;
};

// Throws InputError for missing/malformed CSVs (naming file, line and column) and unknown
// splits (naming the splits present).
StudyList read_mimic_cxr(const MimicCxrOptions& options);

// ROOT/files/pXX/pSUBJECT/sSTUDY/DICOM_ID + extension.
std::string mimic_image_path(const std::string& root, const std::string& subject_id,
                             const std::string& study_id, const std::string& dicom_id,
                             const std::string& extension);

// ROOT/files/pXX/pSUBJECT/sSTUDY.txt (the free-text report of a study).
std::string mimic_report_path(const std::string& reports_root, const std::string& subject_id,
                              const std::string& study_id);

}  // namespace rrg::io
