// A persistent key-value cache in one SQLite file, shared by every rrg component that wants to
// compute something once per input and remember it across runs: LLM answers (src/llm), CheXbert
// labels and embeddings (keyed by checkpoint hash + text hash), and whatever comes next.
//
// Layout: table `entries(namespace, key, value BLOB, created_at)` with (namespace, key) as the
// primary key, and table `rrg_meta` holding `format_version` (see kCacheFormatVersion) and the
// rrg version that created the file. Callers choose a namespace per kind of value ("llm-answer",
// "chexbert-labels", ...) and a key that covers every input that changes the value — usually a
// SHA-256 (rrg/io/sha256.h) of a canonical description. The database runs in WAL mode so several
// rrg processes (Slurm shards) can share one cache; writers wait up to busy_timeout_ms for the
// lock. A file written by a newer rrg (higher format version) is refused with a reason rather
// than misread. An object is safe to use from several threads (calls are serialised).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rrg::io {

// Version of the cache file layout. Bump when the schema or a namespace's value encoding changes
// incompatibly; files with a higher version are refused.
inline constexpr int kCacheFormatVersion = 1;

struct CacheDbOptions {
  // How long a write waits for another process holding the SQLite write lock, in milliseconds.
  int busy_timeout_ms = 30000;
  // Open without creating or writing (puts throw). For inspection tools.
  bool read_only = false;
};

// Counters since the object was opened (not persisted).
struct CacheDbStats {
  std::size_t hits = 0;
  std::size_t misses = 0;
  std::size_t writes = 0;
};

class CacheDb {
 public:
  // Opens `path`, creating the file (and its directory) when missing. Throws std::runtime_error
  // when the file cannot be opened, is not an rrg cache, or has a newer format version.
  explicit CacheDb(std::string path, CacheDbOptions options = {});
  ~CacheDb();
  CacheDb(const CacheDb&) = delete;
  CacheDb& operator=(const CacheDb&) = delete;

  // The stored value, or std::nullopt.
  std::optional<std::string> get(std::string_view name_space, std::string_view key);

  // Stores (or replaces) a value; durable once the call returns (a crashed process keeps it).
  void put(std::string_view name_space, std::string_view key, std::string_view value);

  // Batch forms, one transaction each (much faster for thousands of entries).
  std::vector<std::optional<std::string>> get_many(std::string_view name_space,
                                                   const std::vector<std::string>& keys);
  void put_many(std::string_view name_space,
                const std::vector<std::pair<std::string, std::string>>& entries);

  // Number of entries in a namespace.
  std::size_t count(std::string_view name_space);

  // Removes every entry of a namespace; returns how many were removed.
  std::size_t clear(std::string_view name_space);

  const std::string& path() const { return path_; }
  CacheDbStats stats() const;

 private:
  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
  mutable std::mutex mutex_;
};

// Where rrg keeps its cache when no --cache is given: $RRG_CACHE_DIR/cache.sqlite, else
// $XDG_CACHE_HOME/rrg/cache.sqlite, else $HOME/.cache/rrg/cache.sqlite.
std::string default_cache_path();

}  // namespace rrg::io
