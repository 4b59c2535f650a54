// Help layout for rrg: `rrg --help` lists each subcommand with the first sentence of its
// description only; `rrg <subcommand> --help` shows the whole text.
#pragma once

#include <algorithm>
#include <string>

#include <CLI/CLI.hpp>

namespace rrg::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_subcommand(const CLI::App* sub) const override {
    const std::string& text = sub->get_description();
    std::size_t end = text.size();
    for (std::size_t i = 0; i + 1 <= text.size(); ++i) {
      if (text[i] == '.' && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) {
        end = i + 1;
        break;
      }
    }
    std::string summary;
    for (std::size_t i = 0; i < end; ++i) {
      const char c = text[i] == '\n' ? ' ' : text[i];
      if (c == ' ' && !summary.empty() && summary.back() == ' ') continue;
      summary.push_back(c);
    }
    std::string line = "  " + sub->get_display_name();
    line.resize(std::max<std::size_t>(line.size() + 2, get_column_width()), ' ');
    return line + summary + "\n";
  }
};

}  // namespace rrg::cli
