// Report file readers and format detection (see report_file.h).
#include "rrg/io/report_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "json_input.h"
#include "rrg/core/errors.h"
#include "rrg/core/parallel.h"
#include "rrg/core/string_slots.h"
#include "rrg/io/csv.h"
#include "rrg/io/json_value.h"
#include "rrg/text/utf8.h"

namespace rrg::io {
namespace {

constexpr const char* kTextKeys[] = {"report", "output", "prediction", "text"};
constexpr const char* kTextKeyList = "\"report\", \"output\", \"prediction\" or \"text\"";

std::string extension_of(const std::string& path) {
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

void check_utf8(const std::string& path, std::string_view content) {
  const std::size_t bad = text::find_invalid_utf8(content);
  if (bad == std::string_view::npos) return;
  const auto [line, col] = line_and_column(content, bad);
  throw InputError(location_message(
      path, line, col, "invalid UTF-8 (byte 0x" + [&] {
        static const char* hex = "0123456789ABCDEF";
        const auto b = static_cast<unsigned char>(content[bad]);
        return std::string{hex[b >> 4], hex[b & 15]};
      }() + "); re-save the file as UTF-8"));
}

using Json = JsonValue::Type;

// Where a record was read, for error messages: "path:line" for a JSONL line, or a label given
// whole. The JSONL form is only turned into text when a message needs it, because building it
// for every one of a million lines costs an allocation each.
class RecordWhere {
 public:
  RecordWhere(const std::string& path, std::size_t line) : path_(&path), line_(line) {}
  explicit RecordWhere(std::string label) : label_(std::move(label)) {}

  std::string text() const {
    return path_ != nullptr ? *path_ + ":" + std::to_string(line_) : label_;
  }

 private:
  const std::string* path_ = nullptr;
  std::size_t line_ = 0;
  std::string label_;
};

std::string operator+(const RecordWhere& where, const char* rest) {
  return where.text() + rest;
}

std::string id_from_json(JsonValue& value, const RecordWhere& where) {
  if (value.type == Json::kString) return std::move(value.text);
  if (value.type == Json::kNumber && value.integer) return std::move(value.text);
  throw InputError(where + ": \"id\" must be a string or an integer, got " + json_type_name(value));
}

// The members record_from_object() reads (a JSONL line is parsed for these only). A function,
// not a global vector: report files may be parsed during static initialisation (tests do).
const std::vector<std::string_view>& record_keys() {
  static const std::vector<std::string_view> keys = {"id",         "error", "report",    "output",
                                                     "prediction", "text",  "references"};
  return keys;
}

// Fills `record` from one {"id", text key, "references"?, "error"?} object, moving its strings.
void record_from_object(JsonValue& object, const RecordWhere& where, ReportRecord& record,
                        bool id_required) {
  if (object.type != Json::kObject) {
    throw InputError(where + ": expected a JSON object {\"id\": ..., \"report\": ...}, got " +
                     json_type_name(object));
  }
  if (JsonValue* id = object.find("id")) {
    record.id = id_from_json(*id, where);
  } else if (id_required) {
    throw InputError(where + ": field \"id\" is missing (every record needs a unique id)");
  }
  if (const JsonValue* error = object.find("error");
      error != nullptr && error->type != Json::kNull) {
    record.error = error->type == Json::kString ? error->text : "(structured error)";
    if (error->type == Json::kObject) {
      if (const JsonValue* message = error->find("message");
          message != nullptr && message->type == Json::kString) {
        record.error = message->text;
      }
    }
  }
  JsonValue* text = nullptr;
  for (const char* key : kTextKeys) {
    if (JsonValue* value = object.find(key)) {
      text = value;
      if (text->type != Json::kString && !(text->type == Json::kNull && !record.error.empty())) {
        throw InputError(where + ": field \"" + key + "\" must be a string, got " +
                         json_type_name(*text));
      }
      break;
    }
  }
  std::vector<std::string> references;
  if (JsonValue* refs = object.find("references")) {
    if (refs->type != Json::kArray || refs->items.empty()) {
      throw InputError(where + ": field \"references\" must be a non-empty array of strings");
    }
    for (const auto& ref : refs->items) {
      if (ref.type != Json::kString) {
        throw InputError(where + ": field \"references\" must hold strings, found " +
                         json_type_name(ref));
      }
    }
    references.reserve(refs->items.size());
    for (auto& ref : refs->items) references.push_back(std::move(ref.text));
  }
  if (text != nullptr && text->type == Json::kString) {
    record.texts.push_back(std::move(text->text));
    // "references" may repeat the report as its first entry (the shared multi-reference layout).
    std::size_t start = (!references.empty() && references.front() == record.texts[0]) ? 1 : 0;
    for (std::size_t k = start; k < references.size(); ++k) {
      record.texts.push_back(std::move(references[k]));
    }
  } else if (!references.empty()) {
    record.texts = std::move(references);
  } else if (!record.error.empty()) {
    record.texts.push_back("");
  } else {
    throw InputError(where + ": no report text: expected a string field " + kTextKeyList +
                     " (or \"references\": [...])");
  }
}

// Only called after the fast parser rejected a document: nlohmann::json re-parses it to give
// the well-known error message and byte position, and json_input.h's helpers turn that into
// "path:line:col: malformed JSON...".
JsonValue parse_json_document(const std::string& path, std::string_view content) {
  JsonValue doc;
  if (parse_json(content, doc)) return doc;
  (void)detail::parse_json_document(path, content);
  throw InputError(path + ": malformed JSON");  // unreachable unless the two parsers disagree
}

// The lines of `part`, the first of which is line first_line + 1 of the file.
void read_jsonl_part(const std::string& path, std::string_view part, std::size_t first_line,
                     std::vector<ReportRecord>& records) {
  JsonValue object;
  detail::for_each_jsonl_line(part, [&](std::size_t part_line, std::string_view line) {
    const std::size_t line_no = first_line + part_line;
    if (!parse_json_members(line, record_keys(), object)) {
      (void)detail::parse_json_line(path, line_no, line);
      throw InputError(location_message(path, line_no, 0, "malformed JSON line"));
    }
    ReportRecord record;
    record.line = line_no;
    record_from_object(object, RecordWhere(path, line_no), record,
                       /*id_required=*/true);
    records.push_back(std::move(record));
  });
}

// Below this size a JSONL file is parsed on one thread.
constexpr std::size_t kParallelJsonlBytes = std::size_t{1} << 20;

void read_jsonl(const std::string& path, std::string_view content, ReportFile& out,
                std::size_t threads) {
  threads = resolve_threads(threads);
  if (threads <= 1 || content.size() < kParallelJsonlBytes) {
    read_jsonl_part(path, content, 0, out.records);
    return;
  }
  // Lines are independent: the file is cut at line ends into parts parsed at the same time and
  // joined in order. An error names the same line as on one thread: parallel_for rethrows the
  // lowest failing part's, and a part's lines all precede the next part's.
  const std::size_t n_parts = 4 * threads;
  std::vector<std::string_view> parts;
  std::vector<std::size_t> first_lines;
  std::size_t begin = 0, lines_before = 0;
  for (std::size_t k = 0; k < n_parts && begin < content.size(); ++k) {
    std::size_t end = content.size();
    if (k + 1 < n_parts) {
      end = content.find('\n', std::max(begin, content.size() * (k + 1) / n_parts));
      end = end == std::string_view::npos ? content.size() : end + 1;
    }
    const std::string_view part = content.substr(begin, end - begin);
    parts.push_back(part);
    first_lines.push_back(lines_before);
    lines_before += static_cast<std::size_t>(std::count(part.begin(), part.end(), '\n'));
    begin = end;
  }
  std::vector<std::vector<ReportRecord>> records(parts.size());
  parallel_for(parts.size(), threads, [&](std::size_t k, std::size_t) {
    read_jsonl_part(path, parts[k], first_lines[k], records[k]);
  });
  std::size_t total = 0;
  for (const auto& part : records) total += part.size();
  out.records.reserve(total);
  for (auto& part : records) {
    for (auto& record : part) out.records.push_back(std::move(record));
  }
}

void read_seed_json(const std::string& path, JsonValue& doc, ReportFile& out) {
  const auto read_list = [&](JsonValue& list, const std::string& split) {
    std::size_t index = 0;
    for (auto& item : list.items) {
      ++index;
      ReportRecord record;
      record.line = index;
      record_from_object(
          item, RecordWhere(path + ": " + split + "[" + std::to_string(index - 1) + "]"), record,
          /*id_required=*/true);
      out.records.push_back(std::move(record));
    }
  };
  if (doc.type == Json::kArray) {
    read_list(doc, "record");
    return;
  }
  bool any = false;
  for (const char* split : {"train", "val", "test"}) {
    JsonValue* list = doc.find(split);
    if (list == nullptr) continue;
    if (list->type != Json::kArray) {
      throw InputError(path + ": \"" + split +
                       "\" must be an array of {\"id\", \"report\"} objects, got " +
                       json_type_name(*list));
    }
    any = true;
    read_list(*list, split);
  }
  if (!any) {
    throw InputError(path +
                     ": expected a \"test\" (or \"train\"/\"val\") array as in the "
                     "original toolkit's JSON");
  }
}

void read_r2gen_json(const std::string& path, const JsonValue& doc, ReportFile& out) {
  std::size_t index = 0;
  for (const auto& [id, value] : doc.members) {
    ++index;
    ReportRecord record;
    record.id = id;
    record.line = index;
    const std::string where = path + ": \"" + id + "\"";
    if (value.type == Json::kString) {
      record.texts.push_back(value.text);
    } else if (value.type == Json::kArray && !value.items.empty()) {
      for (const auto& text : value.items) {
        if (text.type != Json::kString) {
          throw InputError(where + ": expected a list of strings, found " + json_type_name(text));
        }
        record.texts.push_back(text.text);
      }
    } else {
      throw InputError(where +
                       ": expected a non-empty list of report strings ({id: [text]}), got " +
                       json_type_name(value));
    }
    out.records.push_back(std::move(record));
  }
}

// Chooses among the JSON layouts by looking at the parsed document.
ReportFormat detect_json_layout(const std::string& path, const JsonValue& doc) {
  if (doc.type == Json::kArray) return ReportFormat::kSeed;
  if (doc.type != Json::kObject) {
    throw InputError(path + ": expected a JSON object or array, got " + json_type_name(doc));
  }
  // The original toolkit's layout has split keys; an R2Gen result maps ids to lists of strings.
  for (const char* split : {"train", "val", "test"}) {
    const JsonValue* list = doc.find(split);
    if (list != nullptr && !(list->type == Json::kArray && !list->items.empty() &&
                             list->items.front().type == Json::kString)) {
      return ReportFormat::kSeed;
    }
  }
  return ReportFormat::kR2Gen;
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

void read_csv(const std::string& path, std::string_view content, ReportFile& out) {
  const std::vector<CsvRow> rows = parse_csv(content, path);
  if (rows.empty()) return;
  const auto& header = rows.front().fields;
  const auto find_column = [&](std::initializer_list<const char*> names) -> long {
    for (const char* name : names) {
      for (std::size_t k = 0; k < header.size(); ++k) {
        if (lower_ascii(header[k]) == lower_ascii(name)) return static_cast<long>(k);
      }
    }
    return -1;
  };
  const long id_col = find_column({"id", "study_id", "dicom_id"});
  const long text_col =
      find_column({"report", "output", "prediction", "text", "Report Impression"});
  if (text_col < 0) {
    std::string names;
    for (const auto& h : header) names += (names.empty() ? "" : ", ") + ("\"" + h + "\"");
    throw InputError(location_message(path, rows.front().line, 0,
                                      "no report column in the CSV header (have " + names +
                                          "; expected one of report, output, prediction, text, "
                                          "Report Impression)"));
  }
  out.positional_ids = id_col < 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    if (row.fields.size() != header.size()) {
      throw InputError(location_message(path, row.line, 0,
                                        "row has " + std::to_string(row.fields.size()) +
                                            " fields but the header has " +
                                            std::to_string(header.size())));
    }
    ReportRecord record;
    record.line = row.line;
    record.id = id_col >= 0 ? row.fields[static_cast<std::size_t>(id_col)] : std::to_string(r);
    record.texts.push_back(row.fields[static_cast<std::size_t>(text_col)]);
    out.records.push_back(std::move(record));
  }
}

void read_text(std::string_view content, ReportFile& out) {
  out.positional_ids = true;
  std::size_t pos = 0, line_no = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    ReportRecord record;
    record.line = line_no;
    record.id = std::to_string(line_no);
    record.texts.emplace_back(line);
    out.records.push_back(std::move(record));
    pos = end + 1;
  }
}

// True when the content looks like one JSON object per line (a .json file written as JSONL).
bool looks_like_jsonl(std::string_view content) {
  const std::size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || content[first] != '{') return false;
  const std::size_t newline = content.find('\n', first);
  if (newline == std::string_view::npos) return false;
  const std::size_t next = content.find_first_not_of(" \t\r\n", newline);
  if (next == std::string_view::npos || content[next] != '{') return false;
  // The first line must be a complete JSON value by itself.
  JsonValue first_value;
  return parse_json(content.substr(first, newline - first), first_value);
}

void check_unique_ids(ReportFile& file) {
  // slot -> line of the id's first record
  StringSlots ids(file.records.size());
  std::vector<std::size_t> first_line;
  first_line.reserve(file.records.size());
  std::vector<std::string> examples;
  std::size_t duplicates = 0;
  for (const auto& record : file.records) {
    bool inserted = false;
    const std::size_t slot = ids.find_or_add(record.id, inserted);
    if (inserted) {
      first_line.push_back(record.line);
      continue;
    }
    ++duplicates;
    if (examples.size() < 3) {
      examples.push_back("\"" + record.id + "\" (records " + std::to_string(first_line[slot]) +
                         " and " + std::to_string(record.line) + ")");
    }
  }
  if (duplicates == 0) return;
  std::string list;
  for (const auto& e : examples) list += (list.empty() ? "" : ", ") + e;
  throw InputError(file.path + ": " + std::to_string(duplicates) + " duplicated id" +
                   (duplicates == 1 ? "" : "s") + " (first: " + list +
                   "); every id must appear once — remove or rename the duplicates");
}

}  // namespace

std::string_view report_format_name(ReportFormat format) {
  switch (format) {
    case ReportFormat::kAuto:
      return "auto";
    case ReportFormat::kJsonl:
      return "jsonl";
    case ReportFormat::kSeed:
      return "seed";
    case ReportFormat::kR2Gen:
      return "r2gen";
    case ReportFormat::kCsv:
      return "csv";
    case ReportFormat::kText:
      return "text";
  }
  return "auto";
}

ReportFormat parse_report_format(std::string_view name) {
  if (name == "auto" || name == "json") return ReportFormat::kAuto;
  if (name == "jsonl") return ReportFormat::kJsonl;
  if (name == "seed") return ReportFormat::kSeed;
  if (name == "r2gen") return ReportFormat::kR2Gen;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "text" || name == "txt") return ReportFormat::kText;
  throw InputError("unknown report format '" + std::string(name) +
                   "' (known: auto, jsonl, seed, r2gen, csv, text)");
}

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(path + ": is a directory, expected a file");
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    throw InputError(path + ": cannot read (" + std::strerror(errno) + ")");
  }
  // Straight into the string (a regular file's size is known): no stream buffer, no second copy
  // of a corpus of several hundred megabytes.
  std::string content;
  struct stat info {};
  const bool regular = ::fstat(::fileno(file), &info) == 0 && S_ISREG(info.st_mode);
  content.resize(regular ? static_cast<std::size_t>(info.st_size) + 1 : std::size_t{1} << 16);
  std::size_t used = 0;
  for (;;) {
    used += std::fread(content.data() + used, 1, content.size() - used, file);
    if (used < content.size()) break;  // end of file or error
    content.resize(content.size() * 2);
  }
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) throw InputError(path + ": read error (" + std::strerror(error) + ")");
  content.resize(used);
  return content;
}

ReportFile parse_report_file(const std::string& path, std::string_view content, ReportFormat format,
                             std::size_t threads) {
  ReportFile out;
  out.path = path;
  check_utf8(path, content);
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);

  if (format == ReportFormat::kAuto) {
    const std::string ext = extension_of(path);
    if (ext == "jsonl" || ext == "ndjson") {
      format = ReportFormat::kJsonl;
    } else if (ext == "csv") {
      format = ReportFormat::kCsv;
    } else if (ext == "txt") {
      format = ReportFormat::kText;
    } else {
      const std::size_t first = content.find_first_not_of(" \t\r\n");
      const char c = first == std::string_view::npos ? '\0' : content[first];
      if (c == '{' && looks_like_jsonl(content)) {
        format = ReportFormat::kJsonl;
      } else if (c == '{' || c == '[') {
        format = ReportFormat::kAuto;  // a JSON document: layout decided after parsing
      } else if (ext == "json") {
        format = ReportFormat::kAuto;  // let the JSON parser report what is wrong
      } else {
        format = ReportFormat::kText;
      }
    }
  }

  if (content.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw InputError(path + ": the file is empty (no reports)");
  }

  switch (format) {
    case ReportFormat::kJsonl:
      read_jsonl(path, content, out, threads);
      break;
    case ReportFormat::kCsv:
      read_csv(path, content, out);
      break;
    case ReportFormat::kText:
      read_text(content, out);
      break;
    case ReportFormat::kAuto:
    case ReportFormat::kSeed:
    case ReportFormat::kR2Gen: {
      JsonValue doc = parse_json_document(path, content);
      if (format == ReportFormat::kAuto) format = detect_json_layout(path, doc);
      if (format == ReportFormat::kSeed) {
        if (doc.type != Json::kObject && doc.type != Json::kArray) {
          throw InputError(path + ": expected the original toolkit's JSON {\"test\": [...]}");
        }
        read_seed_json(path, doc, out);
      } else {
        if (doc.type != Json::kObject) {
          throw InputError(path + ": expected an R2Gen result object {id: [text, ...]}, got " +
                           json_type_name(doc));
        }
        read_r2gen_json(path, doc, out);
      }
      break;
    }
  }
  out.format = format;
  if (out.records.empty()) throw InputError(path + ": no reports found");
  if (!out.positional_ids) check_unique_ids(out);
  return out;
}

namespace {

// A buffer of n bytes that is not zero-filled first (std::string's resize would clear every
// byte, a measurable cost on a million-pair corpus). From 8 MB up it is its own anonymous
// mapping, which the kernel may back with 2 MB pages (MADV_HUGEPAGE; a no-op where transparent
// huge pages are off): filling a 440 MB corpus page by page costs over 100,000 page faults.
class ByteBuffer {
 public:
  explicit ByteBuffer(std::size_t n) : size_(n) {
    if (n >= kMappedBytes) {
      void* p = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p != MAP_FAILED) {
        ::madvise(p, n, MADV_HUGEPAGE);
        data_ = static_cast<char*>(p);
        mapped_ = true;
        return;
      }
    }
    data_ = new char[n];  // default-initialised: no clearing pass
  }
  ~ByteBuffer() {
    if (mapped_) {
      ::munmap(data_, size_);
    } else {
      delete[] data_;
    }
  }
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  char* data() const { return data_; }

 private:
  static constexpr std::size_t kMappedBytes = std::size_t{8} << 20;
  char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
};

// A regular file read whole into a ByteBuffer. Read, not mapped: a file truncated while it is
// parsed must give a parse error naming it, not SIGBUS.
class FileContent {
 public:
  // Reads `path` when it is a non-empty regular file; otherwise ok() is false.
  explicit FileContent(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
      const auto capacity = static_cast<std::size_t>(info.st_size);
      data_ = std::make_unique<ByteBuffer>(capacity);
      std::size_t got = 0;
      bool failed = false;
      while (got < capacity) {
        const ssize_t n = ::read(fd, data_->data() + got, capacity - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) failed = true;
        if (n <= 0) break;  // EOF: the file shrank since fstat; parse what is there
        got += static_cast<std::size_t>(n);
      }
      if (failed) {
        data_.reset();  // read_text_file then reports the error
      } else {
        size_ = got;
      }
    }
    ::close(fd);
  }

  bool ok() const { return data_ != nullptr; }
  std::string_view content() const { return {data_->data(), size_}; }

 private:
  std::unique_ptr<ByteBuffer> data_;
  std::size_t size_ = 0;
};

}  // namespace

ReportFile read_report_file(const std::string& path, ReportFormat format, std::size_t threads) {
  const FileContent file(path);
  if (file.ok()) return parse_report_file(path, file.content(), format, threads);
  // Not a regular file (a pipe, an empty file, a path that cannot be read): read it,
  // which also gives the messages.
  const std::string content = read_text_file(path);
  return parse_report_file(path, content, format, threads);
}

}  // namespace rrg::io
