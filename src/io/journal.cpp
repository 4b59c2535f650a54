// Append-only JSONL journal with resume and torn-tail repair (see journal.h).
#include "rrg/io/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"

namespace rrg::io {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

// Writes all of `data` at the end of the file, retrying short writes and EINTR.
void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(path + ": write failed (" + errno_text() + ")");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string read_all(int fd, const std::string& path) {
  std::string content;
  char buffer[1 << 16];
  off_t offset = 0;
  while (true) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(path + ": read failed (" + errno_text() + ")");
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
  return content;
}

bool is_blank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// The id of a parsed record as the journal compares it, or "" when absent.
std::string record_id(const nlohmann::json& record, const std::string& id_key) {
  const auto it = record.find(id_key);
  if (it == record.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

bool record_failed(const nlohmann::json& record, const std::string& error_key) {
  const auto it = record.find(error_key);
  if (it == record.end() || it->is_null()) return false;
  if (it->is_string()) return !it->get_ref<const std::string&>().empty();
  if (it->is_boolean()) return it->get<bool>();
  return true;
}

}  // namespace

Journal::Journal(std::string path, JournalOptions options)
    : path_(std::move(path)), options_(std::move(options)) {
  open_and_lock();
  try {
    load_existing();
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
  last_sync_ = std::chrono::steady_clock::now();
}

Journal::~Journal() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw; close() already tried its best.
  }
}

void Journal::open_and_lock() {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InputError(path_ + ": cannot open for writing (" + errno_text() +
                     "); check that the directory exists and is writable");
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd_);
    fd_ = -1;
    if (saved == EWOULDBLOCK) {
      throw InputError(path_ +
                       ": is being written by another rrg process; wait for it to finish or "
                       "choose another output file");
    }
    throw std::runtime_error(path_ + ": cannot lock (" + std::strerror(saved) + ")");
  }
}

void Journal::load_existing() {
  const std::string content = read_all(fd_, path_);
  if (content.empty()) return;

  struct Line {
    std::size_t begin, end;  // [begin, end) without the newline
    bool failed;
  };
  std::vector<Line> kept;
  std::size_t good_end = 0;  // byte offset after the last good line (incl. its newline)
  std::size_t line_number = 0;
  std::size_t pos = 0;
  bool torn = false;
  bool append_newline = false;

  while (pos < content.size()) {
    ++line_number;
    const std::size_t newline = content.find('\n', pos);
    const bool complete = newline != std::string::npos;
    const std::size_t end = complete ? newline : content.size();
    const std::string_view line(content.data() + pos, end - pos);
    const std::size_t next = complete ? newline + 1 : content.size();

    if (is_blank(line)) {
      if (complete) good_end = next;
      pos = next;
      continue;
    }
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    const bool parsed = !record.is_discarded() && record.is_object();
    if (!parsed) {
      // Only the last non-blank line can be the victim of an interrupted write.
      const bool rest_blank = is_blank(std::string_view(content).substr(next));
      if (!rest_blank) {
        throw InputError(location_message(path_, line_number, 0,
                                          "not a JSON object; the file is not an rrg JSONL "
                                          "output or was edited by hand. Fix or remove the line, "
                                          "or choose another output file"));
      }
      if (kept.empty() && line.front() != '{') {
        throw InputError(location_message(path_, line_number, 0,
                                          "not a JSON record; refusing to resume into a file "
                                          "that is not an rrg JSONL output"));
      }
      torn = true;
      resume_.torn_line = line_number;
      resume_.torn_bytes = content.size() - pos;
      break;
    }
    const std::string id = record_id(record, options_.id_key);
    if (id.empty()) {
      throw InputError(location_message(
          path_, line_number, 0,
          "record has no \"" + options_.id_key + "\" field; the file is not an rrg JSONL output"));
    }
    const bool failed = options_.retry_failed && record_failed(record, options_.error_key);
    if (failed) {
      ++resume_.failed_dropped;
    } else if (!ids_.insert(id).second) {
      ++resume_.duplicate_ids;
    }
    kept.push_back({pos, end, failed});
    if (!complete) append_newline = true;  // a whole record that only lacks its newline
    good_end = next;
    pos = next;
  }
  resume_.records = ids_.size();

  if (resume_.failed_dropped > 0) {
    // Rewrite without the failed records, atomically, then reopen the new file.
    std::string rewritten;
    for (const auto& line : kept) {
      if (line.failed) continue;
      rewritten.append(content, line.begin, line.end - line.begin);
      rewritten.push_back('\n');
    }
    write_file_atomically(path_, rewritten);
    ::close(fd_);
    fd_ = -1;
    open_and_lock();
  } else if (torn) {
    if (::ftruncate(fd_, static_cast<off_t>(good_end)) != 0 || ::fdatasync(fd_) != 0) {
      throw std::runtime_error(path_ + ": cannot remove the incomplete last record (" +
                               errno_text() + ")");
    }
  } else if (append_newline) {
    write_all(fd_, "\n", path_);
  }

  std::string message;
  if (resume_.records > 0 || resume_.failed_dropped > 0) {
    message = path_ + ": resuming after " + std::to_string(resume_.records) + " finished records";
    if (resume_.failed_dropped > 0) {
      message += "; " + std::to_string(resume_.failed_dropped) +
                 " failed records removed and will be retried";
    }
  }
  if (torn) {
    message += (message.empty() ? path_ + ": " : std::string("; ")) +
               "removed an incomplete last record (line " + std::to_string(resume_.torn_line) +
               ", " + std::to_string(resume_.torn_bytes) + " bytes) left by an interrupted run";
  }
  if (resume_.duplicate_ids > 0) {
    message += (message.empty() ? path_ + ": " : std::string("; ")) +
               "warning: " + std::to_string(resume_.duplicate_ids) + " ids occur on several lines";
  }
  resume_.message = message;
}

void Journal::append(const std::string& id, std::string_view json_object) {
  if (fd_ < 0) throw std::logic_error("Journal::append after close");
  if (json_object.find('\n') != std::string_view::npos) {
    throw std::logic_error("Journal::append: record contains a newline");
  }
  if (!ids_.insert(id).second) {
    throw std::logic_error("Journal::append: id '" + id + "' is already in " + path_);
  }
  std::string line;
  line.reserve(json_object.size() + 1);
  line.append(json_object);
  line.push_back('\n');
  write_all(fd_, line, path_);
  dirty_ = true;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_sync_ >= std::chrono::milliseconds(options_.sync_interval_ms)) sync();
}

void Journal::sync() {
  if (fd_ < 0 || !dirty_) return;
  if (::fdatasync(fd_) != 0)
    throw std::runtime_error(path_ + ": fdatasync failed (" + errno_text() + ")");
  dirty_ = false;
  last_sync_ = std::chrono::steady_clock::now();
}

void Journal::close() {
  if (fd_ < 0) return;
  const int fd = fd_;
  std::string error;
  if (dirty_ && ::fdatasync(fd) != 0) error = errno_text();
  fd_ = -1;
  ::close(fd);  // also releases the lock
  if (!error.empty()) throw std::runtime_error(path_ + ": fdatasync failed (" + error + ")");
}

std::vector<std::pair<std::string, std::string>> read_journal_records(const std::string& path,
                                                                      const std::string& id_key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the journal: " + std::strerror(errno));
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (is_blank(line)) continue;
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    const std::string id =
        !record.is_discarded() && record.is_object() ? record_id(record, id_key) : "";
    if (id.empty()) {
      throw InputError(location_message(path, line_number, 0,
                                        "not a JSON record with an \"" + id_key + "\" field"));
    }
    out.emplace_back(id, std::move(line));
  }
  return out;
}

}  // namespace rrg::io
