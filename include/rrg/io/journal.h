// A crash-safe JSONL journal: the output file of long jobs (`rrg annotate --labeler llm`,
// `rrg generate`) that is appended to as records complete, so a job that dies loses only the
// work in flight and a re-run resumes where it stopped.
//
// Guarantees:
// - Each record is one line written with a single append; a process killed at any moment
//   (kill -9) leaves every appended record intact. Records are also fdatasync'ed at most
//   `sync_interval_ms` apart (and on close) against power loss.
// - Opening an existing journal reads every record id, so callers skip finished ids. An
//   incomplete last line (a write cut short by a crash or a full disk) is detected, removed and
//   reported in resume_info(); a malformed line anywhere else is an error naming its line, and the
//   file is left untouched.
// - A record id is appended at most once: append() refuses an id the journal already holds.
// - One process at a time: the file is locked (flock) while open; a second opener gets an error.
// - Failed records (a non-empty "error" field) are, by default, dropped on open so the re-run
//   retries them; the file is rewritten atomically (temporary file + rename) when that happens.
//
// Record ids are compared as strings: a JSON string id is its value, any other id (a number) is
// its JSON text ("42").
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace rrg::io {

struct JournalOptions {
  // Drop records whose `error_key` field is a non-empty string (or any other non-null value) when
  // the journal is opened, so that a re-run retries them. false keeps them as finished.
  bool retry_failed = true;
  // fdatasync at most this often, in milliseconds; 0 syncs after every record. A killed process
  // never loses an appended record whatever the value: it only matters for power loss.
  int sync_interval_ms = 1000;
  // Field holding the record id.
  std::string id_key = "id";
  // Field marking a failed record.
  std::string error_key = "error";
};

// What opening an existing journal found and repaired.
struct JournalResume {
  std::size_t records = 0;         // finished records kept (their ids are skipped)
  std::size_t failed_dropped = 0;  // failed records removed so they are retried
  std::size_t duplicate_ids = 0;   // ids that occur on several lines (not written by rrg)
  std::size_t torn_line = 0;       // 1-based line number of a removed incomplete record, or 0
  std::size_t torn_bytes = 0;      // bytes removed with it
  // One sentence for the log ("" for a new or clean file), e.g. "out.jsonl: resuming after 812
  // records; removed an incomplete last record (line 813, 57 bytes) left by an interrupted run".
  std::string message;
};

class Journal {
 public:
  // Opens (creating when missing) and locks `path`, reads the ids it holds and repairs a torn
  // tail. Throws rrg::InputError when the file is not a JSONL journal or is locked by another
  // process, std::runtime_error on I/O failures.
  explicit Journal(std::string path, JournalOptions options = {});
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // True when a record with this id is in the file.
  bool contains(const std::string& id) const { return ids_.count(id) != 0; }

  // Number of distinct ids in the file.
  std::size_t size() const { return ids_.size(); }

  const JournalResume& resume_info() const { return resume_; }
  const std::string& path() const { return path_; }

  // Appends one record: `json_object` is a complete single-line JSON object (no newline) whose id
  // is `id`. Throws std::logic_error when the id is already present or the text contains a
  // newline, std::runtime_error when the write fails (the journal stays repairable).
  void append(const std::string& id, std::string_view json_object);

  // Forces an fdatasync now.
  void sync();

  // Syncs and closes (also done by the destructor, which never throws).
  void close();

 private:
  void load_existing();
  void open_and_lock();

  std::string path_;
  JournalOptions options_;
  int fd_ = -1;
  std::unordered_set<std::string> ids_;
  JournalResume resume_;
  std::chrono::steady_clock::time_point last_sync_;
  bool dirty_ = false;
};

// The records of a closed journal, in file order: (id as the journal compares it, the line).
// Blank lines are skipped; a line that is not a JSON object with an id throws rrg::InputError
// naming the line.
std::vector<std::pair<std::string, std::string>> read_journal_records(
    const std::string& path, const std::string& id_key = "id");

}  // namespace rrg::io
