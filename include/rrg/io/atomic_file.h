// Writing output files atomically: content goes to a temporary file in the target's directory,
// which is flushed, fsync'ed and renamed over the target only on commit(). An error or a crash
// before commit() leaves no partial file (the destructor removes the temporary).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace rrg::io {

class AtomicFile {
 public:
  // Creates the temporary file next to `path`. Throws rrg::InputError when the directory is
  // missing or not writable.
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view data);

  // Path of the temporary file, for libraries that write by file name (libxlsxwriter).
  const std::string& temp_path() const { return temp_path_; }

  // Closes the stream (when open), fsyncs and renames the temporary file to the target.
  void commit();

  // Closes the stream without renaming; used when another library writes temp_path() itself.
  void close_stream();

 private:
  std::string path_;
  std::string temp_path_;
  void start_writeback();

  // Written bytes are handed to the kernel's writeback in stretches of this size.
  static constexpr std::size_t kWritebackBytes = std::size_t{8} << 20;
  std::FILE* file_ = nullptr;
  std::size_t written_ = 0;   // bytes whose writeback has been started
  std::size_t unsynced_ = 0;  // bytes written after them
  bool committed_ = false;
};

// Writes `content` to `path` atomically.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace rrg::io
