// R2Gen's annotation.json (IU X-Ray and MIMIC-CXR preparations of R2Gen and its successors):
//   {"train" | "val" | "test": [{"id": ..., "report": ..., "image_path": [PATH, ...], ...}]}
// One study per entry, images in "image_path" order (IU X-Ray: frontal then lateral as R2Gen
// ships them), paths relative to the image root (R2Gen's --image_dir). "report" is kept as the
// study's reference.
#pragma once

#include <string>

#include "rrg/io/datasets/study.h"

namespace rrg::io {

// Throws InputError for a missing split (naming the splits present) or a malformed entry.
StudyList read_r2gen_annotation(const std::string& path, const std::string& image_root,
                                const std::string& split);

}  // namespace rrg::io
