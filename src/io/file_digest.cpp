// Cached file digests (see file_digest.h). Namespace "file-sha256" of the cache: key = SHA-256 of
// "<canonical path>\n<size>\n<mtime>", value = the file's SHA-256 hex.
#include "rrg/io/file_digest.h"

#include <filesystem>

#include "rrg/io/cache_db.h"
#include "rrg/io/sha256.h"

namespace rrg::io {
namespace {
constexpr const char* kFileHashNamespace = "file-sha256";
}

std::shared_future<std::string> file_sha256_async(CacheDb* cache, const std::string& path) {
  std::string file_key;
  if (cache != nullptr) {
    std::error_code ec;
    const auto canonical = std::filesystem::canonical(path, ec).string();
    const auto size = std::filesystem::file_size(path, ec);
    const auto mtime = std::filesystem::last_write_time(path, ec);
    file_key = sha256_hex(canonical + "\n" + std::to_string(size) + "\n" +
                          std::to_string(mtime.time_since_epoch().count()));
    if (auto known = cache->get(kFileHashNamespace, file_key); known && known->size() == 64) {
      std::promise<std::string> ready;
      ready.set_value(*known);
      return ready.get_future().share();
    }
  }
  return std::async(std::launch::async,
                    [cache, file_key, path] {
                      std::string digest = sha256_file_hex(path);
                      if (cache != nullptr) cache->put(kFileHashNamespace, file_key, digest);
                      return digest;
                    })
      .share();
}

}  // namespace rrg::io
