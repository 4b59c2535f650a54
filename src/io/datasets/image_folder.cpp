// Plain image folders as a study source (see image_folder.h).
#include "rrg/io/datasets/image_folder.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "rrg/core/errors.h"

namespace rrg::io {
namespace fs = std::filesystem;
namespace {

// Image files under `dir` (recursively, following symlinks), sorted by path.
std::vector<fs::path> image_files(const fs::path& dir, bool recursive) {
  std::vector<fs::path> out;
  std::error_code ec;
  const auto add = [&](const fs::directory_entry& entry) {
    std::error_code file_ec;
    if (entry.is_regular_file(file_ec) && has_image_extension(entry.path().string())) {
      out.push_back(entry.path());
    }
  };
  if (recursive) {
    fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) add(*it);
  } else {
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) add(*it);
  }
  if (ec) throw InputError(dir.string() + ": cannot list the folder (" + ec.message() + ")");
  std::sort(out.begin(), out.end());
  return out;
}

StudyImage image_of(const fs::path& path) {
  return {path.string(), "", path.stem().string()};
}

}  // namespace

bool has_image_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".dcm" || ext == ".dicom";
}

FolderLayout parse_folder_layout(const std::string& name) {
  if (name == "auto") return FolderLayout::kAuto;
  if (name == "per-image") return FolderLayout::kPerImage;
  if (name == "per-subfolder") return FolderLayout::kPerSubfolder;
  throw InputError("unknown folder layout '" + name +
                   "' (expected auto, per-image or per-subfolder)");
}

StudyList read_image_folder(const std::string& folder, FolderLayout layout) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw InputError(folder + ": not a folder (expected a folder of images)");
  }
  const fs::path root(folder);
  if (layout == FolderLayout::kAuto) {
    layout = image_files(root, /*recursive=*/false).empty() ? FolderLayout::kPerSubfolder
                                                            : FolderLayout::kPerImage;
  }
  StudyList out;
  if (layout == FolderLayout::kPerImage) {
    for (const auto& file : image_files(root, /*recursive=*/true)) {
      Study study;
      study.id = file.lexically_relative(root).replace_extension().string();
      study.origin = file.string();
      study.images.push_back(image_of(file));
      out.studies.push_back(std::move(study));
    }
  } else {
    std::vector<fs::path> subfolders;
    for (fs::directory_iterator it(root, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      std::error_code dir_ec;
      if (it->is_directory(dir_ec)) subfolders.push_back(it->path());
    }
    if (ec) throw InputError(folder + ": cannot list the folder (" + ec.message() + ")");
    std::sort(subfolders.begin(), subfolders.end());
    std::vector<std::string> empty;
    for (const auto& sub : subfolders) {
      Study study;
      study.id = sub.filename().string();
      study.origin = sub.string();
      for (const auto& file : image_files(sub, /*recursive=*/true)) {
        study.images.push_back(image_of(file));
      }
      if (study.images.empty()) {
        empty.push_back(study.id);
      } else {
        out.studies.push_back(std::move(study));
      }
    }
    if (!empty.empty()) {
      out.notes.push_back(std::to_string(empty.size()) + " sub-folder(s) of " + folder +
                          " hold no image file and were skipped (first: " + empty.front() + ")");
    }
  }
  // Two files differing only in extension (a.png, a.jpg) would share an id.
  check_unique_ids(out.studies);
  return out;
}

}  // namespace rrg::io
