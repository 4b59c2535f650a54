// A plain folder of images as a study source. Image files are recognised by extension (.jpg,
// .jpeg, .png, .dcm, .dicom, any case); everything else is ignored. Two layouts:
//   per image      every image under the folder (recursively) is one study; its id is the path
//                  relative to the folder without the extension ("p10/a1b2c3" or "a1b2c3").
//   per subfolder  every direct sub-folder is one study whose id is the sub-folder's name; its
//                  images are the image files inside it (recursively).
// Auto picks "per image" when the folder itself holds image files, else "per subfolder".
// Studies and their images are sorted by path (byte order), so the order never depends on the
// file system.
#pragma once

#include <string>

#include "rrg/io/datasets/study.h"

namespace rrg::io {

enum class FolderLayout { kAuto, kPerImage, kPerSubfolder };

// "auto", "per-image", "per-subfolder"; throws InputError otherwise.
FolderLayout parse_folder_layout(const std::string& name);

// Throws InputError when `folder` is not a readable directory. Sub-folders without images are
// skipped with a note.
StudyList read_image_folder(const std::string& folder, FolderLayout layout = FolderLayout::kAuto);

// True for the extensions listed above.
bool has_image_extension(const std::string& path);

}  // namespace rrg::io
