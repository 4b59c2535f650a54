// rrg's configuration file: settings every run would otherwise repeat (model and vocabulary
// paths, the WordNet directory, LLM servers), in TOML (read with toml++).
//
//   # ~/.config/rrg/config.toml
//   chexbert-checkpoint = "/models/chexbert.pth"   # top level: every subcommand with the flag
//   vocab = "/models/vocab.txt"
//   [generate]                                     # one subcommand only (overrides the top)
//   base-url = ["http://gpu1:8000/v1", "http://gpu2:8000/v1"]
//   concurrency = 64
//
// Keys are the subcommands' long flag names without the dashes; values are strings, numbers,
// booleans or arrays of them. The file is $RRG_CONFIG when set, else
// $XDG_CONFIG_HOME/rrg/config.toml, else ~/.config/rrg/config.toml. Flags given on the command
// line override it; it overrides the built-in defaults (docs/config.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rrg::io {

struct ConfigEntry {
  std::string section;              // "" for top-level keys, else the table name ("generate")
  std::string key;                  // e.g. "chexbert-checkpoint"
  std::vector<std::string> values;  // one value, or the elements of an array, as text
  bool is_array = false;
  std::size_t line = 0;  // where the key is, for messages
  std::size_t column = 0;
};

struct ConfigFile {
  std::string path;
  std::vector<ConfigEntry> entries;  // in file order
};

// The configuration file's path: $RRG_CONFIG, else the XDG default; `explicit_path` says whether
// it came from $RRG_CONFIG (a missing explicit file is an error, a missing default one is not).
std::string config_file_path(bool* explicit_path = nullptr);

// Reads `path`. Throws rrg::InputError "<path>:<line>:<column>: ..." for TOML syntax errors,
// nested tables, tables of tables or values that are not scalars or arrays of scalars.
ConfigFile read_config_file(const std::string& path);

// The configuration of this process: the file of config_file_path() when it exists, else
// nothing. Throws like read_config_file, and rrg::InputError when $RRG_CONFIG names a missing
// file.
std::optional<ConfigFile> load_config_file();

}  // namespace rrg::io
