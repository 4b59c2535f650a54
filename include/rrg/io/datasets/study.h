// The common shape every study source produces (question file, R2Gen annotation, MIMIC-CXR-JPG
// tree, image folder, JSONL): one Study per request to the vision-language model, in a
// deterministic order, with unique ids.
#pragma once

#include <string>
#include <vector>

namespace rrg::io {

struct StudyImage {
  // File path (resolved against the source's image root), or an http(s):// / data: URL that is
  // passed to the server unchanged.
  std::string path;
  // View position as in MIMIC-CXR's ViewPosition column ("PA", "AP", "LATERAL", "LL", ...);
  // "" when the source does not say.
  std::string view;
  // The image's own id (MIMIC dicom_id, or the file name without extension).
  std::string image_id;
};

struct Study {
  std::string id;
  std::vector<StudyImage> images;
  // A prompt given by the source for this study (question files, JSONL "prompt"); "" = use the
  // prompt template.
  std::string prompt;
  // Clinical indication, when the source has one (JSONL "indication", MIMIC report INDICATION).
  std::string indication;
  // Reference report, when the source has one (R2Gen "report", JSONL "reference"). Never sent to
  // the model; kept so a run can write the matching reference file.
  std::string reference;
  // Where the study was defined, for messages: "annotation.json: test[12]", "studies.jsonl:7".
  std::string origin;
};

// A loaded list plus what the loader wants the user to know (skipped studies, missing
// metadata), one sentence each; the CLI prints them as warnings.
struct StudyList {
  std::vector<Study> studies;
  std::vector<std::string> notes;
};

// Joins a relative `path` to `root` ("" root: unchanged). Absolute paths and URLs (http://,
// https://, data:) are returned unchanged; a "file://" prefix is removed first.
std::string resolve_image_path(const std::string& root, const std::string& path);

// Throws InputError when two studies share an id, naming both origins.
void check_unique_ids(const std::vector<Study>& studies);

// The study's known view positions joined by ", " ("PA, LATERAL"); "" when the source gives
// none. This is what the {views} prompt placeholder shows.
std::string known_views(const Study& study);

}  // namespace rrg::io
