// Implementation of the test helpers (see test_support.h).
#include "support/test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace rrg::testing {

std::string source_dir() {
  return RRG_SOURCE_DIR;
}

std::string shared_dir() {
  if (const char* env = std::getenv("RRG_SHARED_DIR"); env != nullptr && *env != '\0') {
    return std::filesystem::is_directory(env) ? std::string(env) : std::string();
  }
  const std::string candidate = source_dir() + "/../shared";
  if (std::filesystem::is_directory(candidate + "/parity")) {
    return std::filesystem::canonical(candidate).string();
  }
  return "";
}

TempDir::TempDir() {
  std::string templ = std::string(RRG_BINARY_DIR) + "/test-tmp-XXXXXX";
  std::filesystem::create_directories(RRG_BINARY_DIR);
  if (::mkdtemp(templ.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  }
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << content;
}

bool file_exists(const std::string& path) {
  return std::filesystem::exists(path);
}

int spawn_rrg(const std::vector<std::string>& args, const std::string& err_path,
              const std::string& out_path) {
  std::vector<std::string> storage = {RRG_EXECUTABLE};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  if (!out_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
  }
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text,
                          const std::vector<std::string>& extra_env) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe(in_pipe) != 0 || ::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
    posix_spawn_file_actions_addclose(&actions, fd);
  }
  std::vector<std::string> env_storage;
  // `extra_env` entries replace inherited variables of the same name ("NAME=value"; "NAME="
  // with nothing after it still sets NAME to empty).
  const auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    bool replaced = false;
    for (const auto& extra : extra_env) replaced = replaced || name_of(extra) == name_of(entry);
    if (!replaced) env_storage.push_back(entry);
  }
  for (const auto& e : extra_env) env_storage.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args_storage(argv);
  std::vector<char*> args;
  for (auto& a : args_storage) args.push_back(a.data());
  args.push_back(nullptr);

  pid_t pid;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }

  // Feed stdin and drain stdout/stderr together so no pipe fills up and deadlocks.
  CommandResult result;
  std::size_t written = 0;
  int in_fd = in_pipe[1];
  if (stdin_text.empty()) {
    ::close(in_fd);
    in_fd = -1;
  } else {
    ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  int out_fd = out_pipe[0], err_fd = err_pipe[0];
  char buffer[65536];
  while (out_fd >= 0 || err_fd >= 0) {
    std::vector<pollfd> fds;
    if (in_fd >= 0) fds.push_back({in_fd, POLLOUT, 0});
    if (out_fd >= 0) fds.push_back({out_fd, POLLIN, 0});
    if (err_fd >= 0) fds.push_back({err_fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (const auto& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == in_fd) {
        const ssize_t n = ::write(in_fd, stdin_text.data() + written, stdin_text.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 || written == stdin_text.size()) {
          ::close(in_fd);
          in_fd = -1;
        }
      } else {
        const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
        if (n <= 0) {
          ::close(p.fd);
          (p.fd == out_fd ? out_fd : err_fd) = -1;
        } else {
          (p.fd == out_fd ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
        }
      }
    }
  }
  if (in_fd >= 0) ::close(in_fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

CommandResult run_rrg(const std::vector<std::string>& args, const std::string& stdin_text,
                      const std::vector<std::string>& extra_env) {
  std::vector<std::string> argv{RRG_EXECUTABLE};
  argv.insert(argv.end(), args.begin(), args.end());
  // Hermetic by default: no configuration file or CheXbert paths of the developer's; a test sets
  // them through `extra_env`, whose entries come last and win.
  std::vector<std::string> env{
      "RRG_CONFIG=", "XDG_CONFIG_HOME=/nonexistent/rrg-tests",
      "RRG_CHEXBERT_CHECKPOINT=", "RRG_CHEXBERT_VOCAB=", "RRG_BERTSCORE_MODEL="};
  for (const auto& e : extra_env) {
    const std::string name = e.substr(0, e.find('='));
    for (auto& d : env) {
      if (d.substr(0, d.find('=')) == name) d = e;
    }
    if (std::none_of(env.begin(), env.end(), [&](const std::string& d) { return d == e; })) {
      env.push_back(e);
    }
  }
  return run_command(argv, stdin_text, env);
}

}  // namespace rrg::testing
