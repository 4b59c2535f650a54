// Temp-file-and-rename output (see atomic_file.h).
#include "rrg/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

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
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    throw std::runtime_error(path_ + ": write failed (" + std::strerror(errno) + ")");
  }
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
