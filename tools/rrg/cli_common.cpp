// Shared CLI helpers (see cli_common.h).
#include "cli_common.h"

namespace rrg::cli {
namespace {

std::string& stored_command_line() {
  static std::string line;
  return line;
}

// Quotes an argument for display when it holds characters a shell would split on.
std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos) return arg;
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

void set_command_line(int argc, char** argv) {
  std::string line = "rrg";
  for (int i = 1; i < argc; ++i) line += " " + shell_quote(argv[i]);
  stored_command_line() = line;
}

const std::string& command_line() {
  return stored_command_line();
}

std::string file_stem(const std::string& path) {
  std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  const auto dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  return name.empty() ? "rrg" : name;
}

}  // namespace rrg::cli
