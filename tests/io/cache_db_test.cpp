// The SQLite cache (src/io/cache_db.cpp): values survive reopening, namespaces are separate,
// WAL mode, two handles (as two processes would) see each other's writes, and files that are not
// rrg caches or come from a newer rrg are refused with a reason.
#include "rrg/io/cache_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "support/test_support.h"

namespace rrg::io {
namespace {

std::string sql_value(const std::string& path, const char* query) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, query, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

void sql_exec(const std::string& path, const char* statement) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  ASSERT_EQ(sqlite3_exec(db, statement, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST(CacheDb, StoresAndReloadsValuesPerNamespace) {
  rrg::testing::TempDir dir;
  const std::string path = dir.file("sub/dir/cache.sqlite");  // directories are created
  const std::string binary("\0\x01\xff{}", 5);
  {
    CacheDb cache(path);
    EXPECT_EQ(cache.get("llm-answer", "k1"), std::nullopt);
    cache.put("llm-answer", "k1", "first");
    cache.put("chexbert-labels", "k1", binary);
    cache.put("llm-answer", "k1", "replaced");
    EXPECT_EQ(cache.stats().writes, 3u);
    EXPECT_EQ(cache.stats().misses, 1u);
  }
  CacheDb cache(path);
  EXPECT_EQ(cache.get("llm-answer", "k1"), "replaced");
  EXPECT_EQ(cache.get("chexbert-labels", "k1"), binary);
  EXPECT_EQ(cache.count("llm-answer"), 1u);
  cache.put_many("emb", {{"a", "1"}, {"b", "2"}, {"c", "3"}});
  const auto values = cache.get_many("emb", {"a", "x", "c"});
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0], "1");
  EXPECT_EQ(values[1], std::nullopt);
  EXPECT_EQ(values[2], "3");
  EXPECT_EQ(cache.clear("emb"), 3u);
  EXPECT_EQ(cache.count("emb"), 0u);
  EXPECT_EQ(cache.get("llm-answer", "k1"), "replaced");
}

TEST(CacheDb, UsesWalAndRecordsTheFormatVersion) {
  rrg::testing::TempDir dir;
  const std::string path = dir.file("cache.sqlite");
  { CacheDb cache(path); }
  EXPECT_EQ(sql_value(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(sql_value(path, "SELECT value FROM rrg_meta WHERE key='format_version'"),
            std::to_string(kCacheFormatVersion));
  EXPECT_EQ(sql_value(path, "SELECT value FROM rrg_meta WHERE key='created_by'").rfind("rrg ", 0),
            0u);
}

TEST(CacheDb, TwoHandlesShareOneFile) {
  rrg::testing::TempDir dir;
  CacheDb first(dir.file("cache.sqlite"));
  CacheDb second(dir.file("cache.sqlite"));
  first.put("ns", "a", "from first");
  second.put("ns", "b", "from second");
  EXPECT_EQ(second.get("ns", "a"), "from first");
  EXPECT_EQ(first.get("ns", "b"), "from second");
}

TEST(CacheDb, NewerFormatIsRefusedWithAReason) {
  rrg::testing::TempDir dir;
  const std::string path = dir.file("cache.sqlite");
  { CacheDb cache(path); }
  sql_exec(path, "UPDATE rrg_meta SET value='99' WHERE key='format_version'");
  try {
    CacheDb cache(path);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cache format version 99 is newer than this rrg supports"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("--no-cache"), std::string::npos) << message;
  }
}

TEST(CacheDb, ForeignFilesAreRefused) {
  rrg::testing::TempDir dir;
  rrg::testing::write_file(dir.file("text.sqlite"), "this is not a database, it is a text file\n");
  EXPECT_THROW(CacheDb(dir.file("text.sqlite")), std::runtime_error);
  sql_exec(dir.file("other.sqlite"), "CREATE TABLE t(x)");
  try {
    CacheDb cache(dir.file("other.sqlite"));
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not an rrg cache"), std::string::npos) << e.what();
  }
}

TEST(CacheDb, DefaultPathFollowsTheEnvironment) {
  setenv("RRG_CACHE_DIR", "/tmp/rrg-x", 1);
  EXPECT_EQ(default_cache_path(), "/tmp/rrg-x/cache.sqlite");
  unsetenv("RRG_CACHE_DIR");
  setenv("XDG_CACHE_HOME", "/tmp/xdg", 1);
  EXPECT_EQ(default_cache_path(), "/tmp/xdg/rrg/cache.sqlite");
  unsetenv("XDG_CACHE_HOME");
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(default_cache_path(), "/home/u/.cache/rrg/cache.sqlite");
}

}  // namespace
}  // namespace rrg::io
