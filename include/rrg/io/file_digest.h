// The SHA-256 of a (possibly multi-GB) model file, remembered in the SQLite cache per file path,
// size and modification time, so identifying a checkpoint costs a hash only the first time.
// Shared by the model front ends (CheXbert, BERTScore) whose cache keys and signatures name the
// weights they ran.
#pragma once

#include <future>
#include <string>

namespace rrg::io {

class CacheDb;

// The digest of `path`: ready at once when `cache` (may be null) remembers it for the file's
// current path, size and mtime, otherwise computed on another thread (and then stored in
// `cache`), so the caller can load the model meanwhile. get() rethrows a read error
// (rrg::InputError). `cache` must outlive the future.
std::shared_future<std::string> file_sha256_async(CacheDb* cache, const std::string& path);

}  // namespace rrg::io
