// Temp-file-and-rename output (see atomic_file.h).
#include "rrg/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "rrg/core/errors.h"

namespace rrg::io {
namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {
  temp_path_ = path_ + ".tmp-" + std::to_string(::getpid());
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (file_ == nullptr) {
    throw InputError(path_ + ": cannot write (" + std::strerror(errno) +
                     "); check that directory '" + directory_of(path_) +
                     "' exists and is writable");
  }
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) std::remove(temp_path_.c_str());
}

void AtomicFile::write(std::string_view data) {
  if (file_ == nullptr) throw std::logic_error("AtomicFile::write after close");
  while (!data.empty()) {
    const std::size_t n = std::min(data.size(), kWritebackBytes - unsynced_);
    if (std::fwrite(data.data(), 1, n, file_) != n) {
      throw std::runtime_error(path_ + ": write failed (" + std::strerror(errno) + ")");
    }
    data.remove_prefix(n);
    unsynced_ += n;
    if (unsynced_ == kWritebackBytes) start_writeback();
  }
}

void AtomicFile::start_writeback() {
  // The commit's fsync must wait for every byte to reach the disk; asking the kernel to start
  // writing each full stretch now lets the disk work while the caller produces the rest, so
  // that little is left for the fsync (the disk and the CPU overlap instead of taking turns).
  if (std::fflush(file_) != 0) {
    throw std::runtime_error(path_ + ": write failed (" + std::strerror(errno) + ")");
  }
#ifdef __linux__
  ::sync_file_range(::fileno(file_), static_cast<off64_t>(written_),
                    static_cast<off64_t>(unsynced_), SYNC_FILE_RANGE_WRITE);
#endif
  written_ += unsynced_;
  unsynced_ = 0;
}

void AtomicFile::close_stream() {
  if (file_ == nullptr) return;
  const bool ok = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int saved_errno = errno;
  std::fclose(file_);
  file_ = nullptr;
  if (!ok) {
    throw std::runtime_error(path_ + ": write failed (" + std::strerror(saved_errno) + ")");
  }
}

void AtomicFile::commit() {
  close_stream();
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    throw std::runtime_error(path_ + ": cannot replace file (" + std::strerror(errno) + ")");
  }
  committed_ = true;
  // Make the rename itself durable.
  const int dir = ::open(directory_of(path_).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile file(path);
  file.write(content);
  file.commit();
}

}  // namespace rrg::io
