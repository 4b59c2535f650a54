// rrg's own study list: one JSON object per line,
//   {"id": ..., "images": [PATH | {"path": PATH, "view": "PA"}, ...],
//    "prompt"?: ..., "indication"?: ..., "reference"?: ...}
// Studies come in file order.
#pragma once

#include <string>

#include "rrg/io/datasets/study.h"

namespace rrg::io {

// Relative paths are joined to `image_root`, or left relative to the working directory when it
// is "". Throws InputError "file:line: ..." for malformed lines, missing ids or images.
StudyList read_study_jsonl(const std::string& path, const std::string& image_root);

}  // namespace rrg::io
