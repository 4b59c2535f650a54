// SQLite-backed persistent cache (see cache_db.h).
#include "rrg/io/cache_db.h"

#include <sqlite3.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "rrg/core/version.h"

namespace rrg::io {
namespace {

// Owns one prepared statement; reset on every use.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::string& path) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(path + ": cannot prepare cache query (" + sqlite3_errmsg(db) + ")");
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() { return stmt_; }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

void bind_text(sqlite3_stmt* stmt, int index, std::string_view text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

}  // namespace

struct CacheDb::Impl {
  sqlite3* db = nullptr;
  std::unique_ptr<Statement> get_stmt;
  std::unique_ptr<Statement> put_stmt;
  CacheDbStats stats;
  bool read_only = false;

  ~Impl() {
    get_stmt.reset();
    put_stmt.reset();
    if (db != nullptr) sqlite3_close(db);
  }

  void exec(const std::string& path, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errmsg(db);
      sqlite3_free(message);
      throw std::runtime_error(path + ": cache database error (" + text + ")");
    }
  }

  // Runs a query returning one integer (or `fallback` when it returns no row).
  long long query_int(const std::string& path, const char* sql, long long fallback) {
    Statement stmt(db, sql, path);
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW) return sqlite3_column_int64(stmt.get(), 0);
    if (rc == SQLITE_DONE) return fallback;
    throw std::runtime_error(path + ": cache database error (" + sqlite3_errmsg(db) + ")");
  }
};

CacheDb::CacheDb(std::string path, CacheDbOptions options)
    : path_(std::move(path)), impl_(std::make_unique<Impl>()) {
  impl_->read_only = options.read_only;
  if (!options.read_only) {
    const auto parent = std::filesystem::path(path_).parent_path();
    std::error_code ignored;
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  }
  const int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path_.c_str(), &impl_->db, flags | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    const std::string reason = impl_->db != nullptr ? sqlite3_errmsg(impl_->db) : "out of memory";
    throw std::runtime_error(path_ + ": cannot open cache database (" + reason +
                             "); choose another --cache path or run with --no-cache");
  }
  sqlite3_busy_timeout(impl_->db, options.busy_timeout_ms);

  // A file that is not SQLite at all fails on the first query.
  long long tables = 0;
  try {
    tables = impl_->query_int(path_, "SELECT count(*) FROM sqlite_master WHERE type='table'", 0);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(
        path_ + ": is not an rrg cache (not a SQLite database: " + sqlite3_errmsg(impl_->db) +
        "); choose another --cache path or run with --no-cache");
  }
  const long long has_meta = impl_->query_int(
      path_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='rrg_meta'", 0);
  if (tables > 0 && has_meta == 0) {
    throw std::runtime_error(path_ +
                             ": is a SQLite database but not an rrg cache (no rrg_meta table); "
                             "choose another --cache path");
  }
  if (has_meta != 0) {
    const long long version = impl_->query_int(
        path_, "SELECT CAST(value AS INTEGER) FROM rrg_meta WHERE key='format_version'", 0);
    if (version > kCacheFormatVersion) {
      throw std::runtime_error(
          path_ + ": cache format version " + std::to_string(version) +
          " is newer than this rrg supports (" + std::to_string(kCacheFormatVersion) +
          "). This usually means the cache was written by a later rrg. Upgrade rrg, or use "
          "another --cache path, or --no-cache.");
    }
  }
  if (!options.read_only) {
    // WAL lets readers and one writer work at once; NORMAL sync is durable against process
    // crashes (what resume needs) and only risks the last transactions on power loss.
    impl_->exec(path_, "PRAGMA journal_mode=WAL");
    impl_->exec(path_, "PRAGMA synchronous=NORMAL");
    impl_->exec(path_,
                "CREATE TABLE IF NOT EXISTS rrg_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE TABLE IF NOT EXISTS entries(namespace TEXT NOT NULL, key TEXT NOT NULL, "
                "value BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY(namespace, key)) "
                "WITHOUT ROWID;");
    const std::string meta =
        "INSERT OR IGNORE INTO rrg_meta(key, value) VALUES ('format_version', '" +
        std::to_string(kCacheFormatVersion) + "'), ('created_by', 'rrg " + rrg::version() + "')";
    impl_->exec(path_, meta.c_str());
    impl_->put_stmt = std::make_unique<Statement>(
        impl_->db,
        "INSERT OR REPLACE INTO entries(namespace, key, value, created_at) VALUES (?, ?, ?, ?)",
        path_);
  } else if (has_meta == 0) {
    throw std::runtime_error(path_ + ": is not an rrg cache (empty database)");
  }
  impl_->get_stmt = std::make_unique<Statement>(
      impl_->db, "SELECT value FROM entries WHERE namespace = ? AND key = ?", path_);
}

CacheDb::~CacheDb() = default;

std::optional<std::string> CacheDb::get(std::string_view name_space, std::string_view key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& stmt = *impl_->get_stmt;
  stmt.reset();
  bind_text(stmt.get(), 1, name_space);
  bind_text(stmt.get(), 2, key);
  const int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt.get(), 0));
    const int size = sqlite3_column_bytes(stmt.get(), 0);
    std::string value(data != nullptr ? data : "", static_cast<std::size_t>(size));
    stmt.reset();
    ++impl_->stats.hits;
    return value;
  }
  stmt.reset();
  if (rc != SQLITE_DONE) {
    throw std::runtime_error(path_ + ": cache read failed (" + sqlite3_errmsg(impl_->db) + ")");
  }
  ++impl_->stats.misses;
  return std::nullopt;
}

void CacheDb::put(std::string_view name_space, std::string_view key, std::string_view value) {
  put_many(name_space, {{std::string(key), std::string(value)}});
}

std::vector<std::optional<std::string>> CacheDb::get_many(std::string_view name_space,
                                                          const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> out;
  out.reserve(keys.size());
  for (const auto& key : keys) out.push_back(get(name_space, key));
  return out;
}

void CacheDb::put_many(std::string_view name_space,
                       const std::vector<std::pair<std::string, std::string>>& entries) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (impl_->read_only) throw std::logic_error("CacheDb::put on a read-only cache");
  if (entries.empty()) return;
  impl_->exec(path_, "BEGIN IMMEDIATE");
  try {
    auto& stmt = *impl_->put_stmt;
    const auto now = static_cast<sqlite3_int64>(std::time(nullptr));
    for (const auto& [key, value] : entries) {
      stmt.reset();
      bind_text(stmt.get(), 1, name_space);
      bind_text(stmt.get(), 2, key);
      sqlite3_bind_blob(stmt.get(), 3, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT);
      sqlite3_bind_int64(stmt.get(), 4, now);
      if (sqlite3_step(stmt.get()) != SQLITE_DONE) {
        throw std::runtime_error(path_ + ": cache write failed (" + sqlite3_errmsg(impl_->db) +
                                 ")");
      }
      stmt.reset();
    }
    impl_->exec(path_, "COMMIT");
  } catch (...) {
    sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  impl_->stats.writes += entries.size();
}

std::size_t CacheDb::count(std::string_view name_space) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement stmt(impl_->db, "SELECT count(*) FROM entries WHERE namespace = ?", path_);
  bind_text(stmt.get(), 1, name_space);
  if (sqlite3_step(stmt.get()) != SQLITE_ROW) {
    throw std::runtime_error(path_ + ": cache read failed (" + sqlite3_errmsg(impl_->db) + ")");
  }
  return static_cast<std::size_t>(sqlite3_column_int64(stmt.get(), 0));
}

std::size_t CacheDb::clear(std::string_view name_space) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (impl_->read_only) throw std::logic_error("CacheDb::clear on a read-only cache");
  Statement stmt(impl_->db, "DELETE FROM entries WHERE namespace = ?", path_);
  bind_text(stmt.get(), 1, name_space);
  if (sqlite3_step(stmt.get()) != SQLITE_DONE) {
    throw std::runtime_error(path_ + ": cache write failed (" + sqlite3_errmsg(impl_->db) + ")");
  }
  return static_cast<std::size_t>(sqlite3_changes(impl_->db));
}

CacheDbStats CacheDb::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return impl_->stats;
}

std::string default_cache_path() {
  const auto env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
  };
  if (const auto dir = env("RRG_CACHE_DIR"); !dir.empty()) return dir + "/cache.sqlite";
  if (const auto xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return xdg + "/rrg/cache.sqlite";
  if (const auto home = env("HOME"); !home.empty()) return home + "/.cache/rrg/cache.sqlite";
  return ".rrg-cache.sqlite";
}

}  // namespace rrg::io
