// MIMIC-CXR-JPG trees as a study source (see mimic_cxr.h).
#include "rrg/io/datasets/mimic_cxr.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "rrg/core/errors.h"
#include "rrg/io/csv.h"
#include "rrg/io/report_file.h"
#include "rrg/text/report_sections.h"

namespace rrg::io {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSplitName = "mimic-cxr-2.0.0-split.csv";
constexpr const char* kMetadataName = "mimic-cxr-2.0.0-metadata.csv";

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// PhysioNet ships the CSVs gzip-compressed; read them either way.
std::string read_maybe_gzipped(const std::string& path) {
  if (!ends_with(path, ".gz")) return read_text_file(path);
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::string out;
  char buffer[1 << 16];
  int n;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0)
    out.append(buffer, static_cast<std::size_t>(n));
  int err = Z_OK;
  const std::string message = n < 0 ? gzerror(file, &err) : "";
  gzclose(file);
  if (n < 0) throw InputError(path + ": cannot decompress (" + message + ")");
  return out;
}

// The explicit path, else NAME or NAME.gz in `root`.
std::string locate_csv(const std::string& explicit_path, const std::string& root, const char* name,
                       const char* flag) {
  if (!explicit_path.empty()) return explicit_path;
  const std::string plain = (fs::path(root) / name).string();
  if (fs::exists(plain)) return plain;
  if (fs::exists(plain + ".gz")) return plain + ".gz";
  throw InputError(plain + ": not found (nor " + name +
                   ".gz); download it from PhysioNet's MIMIC-CXR-JPG page into " + root +
                   " or give its path with " + flag);
}

struct CsvTable {
  std::string path;
  std::vector<CsvRow> rows;  // rows[0] is the header
  std::size_t column(const char* name) const {
    const auto& header = rows.front().fields;
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      throw InputError(location_message(path, rows.front().line, 0,
                                        std::string("no \"") + name + "\" column in the header"));
    }
    return static_cast<std::size_t>(it - header.begin());
  }
  const std::string& field(const CsvRow& row, std::size_t column) const {
    if (column >= row.fields.size()) {
      throw InputError(location_message(path, row.line, 0,
                                        "row has " + std::to_string(row.fields.size()) +
                                            " fields but the header has " +
                                            std::to_string(rows.front().fields.size())));
    }
    return row.fields[column];
  }
};

CsvTable read_table(const std::string& path) {
  CsvTable table{path, parse_csv(read_maybe_gzipped(path), path)};
  if (table.rows.empty()) throw InputError(path + ": the file is empty (expected a CSV header)");
  return table;
}

std::string upper_trimmed(std::string s) {
  const auto begin = s.find_first_not_of(" \t");
  const auto end = s.find_last_not_of(" \t");
  s = begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

struct Candidate {
  std::size_t rank;  // position in the view list
  std::string dicom_id;
  std::string view;
};

struct StudyRow {
  std::string subject_id;
  std::vector<Candidate> images;
};

}  // namespace

std::string mimic_image_path(const std::string& root, const std::string& subject_id,
                             const std::string& study_id, const std::string& dicom_id,
                             const std::string& extension) {
  return (fs::path(root) / "files" / ("p" + subject_id.substr(0, 2)) / ("p" + subject_id) /
          ("s" + study_id) / (dicom_id + extension))
      .string();
}

std::string mimic_report_path(const std::string& reports_root, const std::string& subject_id,
                              const std::string& study_id) {
  return (fs::path(reports_root) / "files" / ("p" + subject_id.substr(0, 2)) / ("p" + subject_id) /
          ("s" + study_id + ".txt"))
      .string();
}

StudyList read_mimic_cxr(const MimicCxrOptions& options) {
  if (options.root.empty()) throw InputError("MIMIC-CXR: the dataset folder is not set");
  const std::string split = options.split == "val" ? "validate" : options.split;

  // dicom_id -> split, from the split CSV.
  const CsvTable splits =
      read_table(locate_csv(options.split_csv, options.root, kSplitName, "--mimic-split-csv"));
  const std::size_t s_dicom = splits.column("dicom_id"), s_split = splits.column("split");
  std::unordered_map<std::string, bool> wanted;  // dicom_id -> in the chosen split
  std::set<std::string> splits_present;
  for (std::size_t r = 1; r < splits.rows.size(); ++r) {
    const std::string& name = splits.field(splits.rows[r], s_split);
    splits_present.insert(name);
    wanted[splits.field(splits.rows[r], s_dicom)] = split == "all" || name == split;
  }
  if (split != "all" && splits_present.count(split) == 0) {
    std::string present;
    for (const auto& s : splits_present) present += (present.empty() ? "" : ", ") + s;
    throw InputError(splits.path + ": no image belongs to split \"" + options.split +
                     "\" (the file has: " + present + "; or use \"all\")");
  }

  std::vector<std::string> views;
  for (const auto& v : options.views) views.push_back(upper_trimmed(v));
  const auto rank_of = [&](const std::string& view) -> std::size_t {
    for (std::size_t k = 0; k < views.size(); ++k) {
      if (views[k] == view || views[k] == "*") return k;
    }
    return views.size();
  };

  // study_id -> its images in the chosen split, from the metadata CSV.
  const CsvTable meta = read_table(
      locate_csv(options.metadata_csv, options.root, kMetadataName, "--mimic-metadata-csv"));
  const std::size_t m_dicom = meta.column("dicom_id"), m_subject = meta.column("subject_id"),
                    m_study = meta.column("study_id"), m_view = meta.column("ViewPosition");
  std::map<std::string, StudyRow> studies;  // ordered by study_id
  std::size_t in_split = 0;
  for (std::size_t r = 1; r < meta.rows.size(); ++r) {
    const CsvRow& row = meta.rows[r];
    const std::string& dicom = meta.field(row, m_dicom);
    const auto it = wanted.find(dicom);
    if (it == wanted.end() || !it->second) continue;
    ++in_split;
    const std::string& subject = meta.field(row, m_subject);
    if (subject.size() < 2) {
      throw InputError(
          location_message(meta.path, row.line, 0, "subject_id \"" + subject + "\" is too short"));
    }
    StudyRow& study = studies[meta.field(row, m_study)];
    study.subject_id = subject;
    const std::string view = upper_trimmed(meta.field(row, m_view));
    const std::size_t rank = rank_of(view);
    study.images.push_back({rank, dicom, view});
  }

  StudyList out;
  std::vector<std::string> without_views;
  std::size_t missing_reports = 0;
  for (auto& [study_id, row] : studies) {
    auto& images = row.images;
    images.erase(std::remove_if(images.begin(), images.end(),
                                [&](const Candidate& c) { return c.rank >= views.size(); }),
                 images.end());
    std::sort(images.begin(), images.end(), [](const Candidate& a, const Candidate& b) {
      return a.rank != b.rank ? a.rank < b.rank : a.dicom_id < b.dicom_id;
    });
    if (options.max_images_per_study > 0 &&
        images.size() > static_cast<std::size_t>(options.max_images_per_study)) {
      images.resize(static_cast<std::size_t>(options.max_images_per_study));
    }
    if (images.empty()) {
      without_views.push_back(study_id);
      continue;
    }
    Study study;
    study.id = study_id;
    study.origin = meta.path + ": study " + study_id;
    for (const auto& c : images) {
      study.images.push_back({mimic_image_path(options.root, row.subject_id, study_id, c.dicom_id,
                                               options.image_extension),
                              c.view, c.dicom_id});
    }
    if (!options.reports_root.empty()) {
      const std::string report_path =
          mimic_report_path(options.reports_root, row.subject_id, study_id);
      std::error_code ec;
      if (fs::is_regular_file(report_path, ec)) {
        const auto sections = text::split_report_sections(read_text_file(report_path));
        study.indication = text::section_text(sections, "indication").value_or("");
        if (auto chosen = text::choose_section(sections, text::default_section_priority())) {
          study.reference = std::move(chosen->text);
        }
      } else {
        ++missing_reports;
      }
    }
    if (options.per_image) {
      for (const auto& image : study.images) {
        Study single = study;
        single.id = image.image_id;
        single.origin = meta.path + ": dicom " + image.image_id;
        single.images = {image};
        out.studies.push_back(std::move(single));
      }
    } else {
      out.studies.push_back(std::move(study));
    }
  }

  if (in_split == 0) {
    out.notes.push_back("no image of split \"" + options.split + "\" in " + splits.path +
                        " is listed in " + meta.path);
  }
  if (!without_views.empty()) {
    std::string list;
    for (const auto& v : options.views) list += (list.empty() ? "" : ",") + v;
    out.notes.push_back(
        std::to_string(without_views.size()) + " stud" + (without_views.size() == 1 ? "y" : "ies") +
        " of split \"" + options.split + (without_views.size() == 1 ? "\" has" : "\" have") +
        " no image with a view in " + list + " and " +
        (without_views.size() == 1 ? "was" : "were") + " skipped (" +
        sample_list(without_views, 3) + "); add \"*\" to the view list to keep any view");
  }
  if (missing_reports > 0) {
    out.notes.push_back(std::to_string(missing_reports) + " stud" +
                        (missing_reports == 1 ? "y has" : "ies have") + " no report file under " +
                        options.reports_root + " (no indication or reference for them)");
  }
  check_unique_ids(out.studies);
  return out;
}

}  // namespace rrg::io
