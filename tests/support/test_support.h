// Helpers shared by rrg's tests: locating fixtures and ../shared, temporary directories, and
// running the real rrg binary.
#pragma once

#include <string>
#include <vector>

namespace rrg::testing {

// Source tree root (for fixtures under tests/ and examples/).
std::string source_dir();

// The reference material directory (../shared beside the checkout, or $RRG_SHARED_DIR), or ""
// when it does not exist. Tests that need it call GTEST_SKIP() when this is empty.
std::string shared_dir();

// A fresh empty directory under the build tree, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);
bool file_exists(const std::string& path);

struct CommandResult {
  int exit_code = -1;  // exit status, or 128+signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs the built rrg binary with `args` (no shell), optional stdin text and extra environment
// entries ("NAME=value").
CommandResult run_rrg(const std::vector<std::string>& args, const std::string& stdin_text = "",
                      const std::vector<std::string>& extra_env = {});

// Starts the built rrg binary in the background (for tests that signal it) with stderr going to
// `err_path` and, when `out_path` is given, stdout too; returns its pid (-1 when it cannot start).
int spawn_rrg(const std::vector<std::string>& args, const std::string& err_path,
              const std::string& out_path = "");

// Runs any program (argv[0] looked up in PATH).
CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                          const std::vector<std::string>& extra_env = {});

}  // namespace rrg::testing
