// The configuration file (see config_file.h).
#include "rrg/io/config_file.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

#include <toml++/toml.h>

#include "rrg/core/errors.h"

namespace rrg::io {
namespace {

std::string where(const std::string& path, const toml::source_region& source) {
  return path + ":" + std::to_string(source.begin.line) + ":" + std::to_string(source.begin.column);
}

// A scalar as the text a flag would take; nullopt for tables and arrays.
std::optional<std::string> scalar_text(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, f->get()).ptr;
    return std::string(buffer, end);
  }
  if (const auto* b = node.as_boolean()) return std::string(b->get() ? "true" : "false");
  return std::nullopt;
}

ConfigEntry entry_of(const std::string& path, const std::string& section, const std::string& key,
                     const toml::node& node) {
  ConfigEntry entry;
  entry.section = section;
  entry.key = key;
  entry.line = node.source().begin.line;
  entry.column = node.source().begin.column;
  if (const auto value = scalar_text(node)) {
    entry.values.push_back(*value);
    return entry;
  }
  const auto* array = node.as_array();
  if (array == nullptr) {
    throw InputError(where(path, node.source()) + ": \"" + key +
                     "\" must be a string, a number, a boolean or an array of them (tables "
                     "are only allowed at the top level, one per subcommand)");
  }
  entry.is_array = true;
  for (const auto& element : *array) {
    const auto value = scalar_text(element);
    if (!value) {
      throw InputError(where(path, element.source()) + ": the elements of \"" + key +
                       "\" must be strings, numbers or booleans");
    }
    entry.values.push_back(*value);
  }
  return entry;
}

}  // namespace

std::string config_file_path(bool* explicit_path) {
  if (const char* env = std::getenv("RRG_CONFIG"); env != nullptr && *env != '\0') {
    if (explicit_path != nullptr) *explicit_path = true;
    return env;
  }
  if (explicit_path != nullptr) *explicit_path = false;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/rrg/config.toml";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.config/rrg/config.toml";
}

ConfigFile read_config_file(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw InputError(where(path, e.source()) + ": " + std::string(e.description()) +
                     " (the configuration file is TOML; see docs/config.md)");
  }
  ConfigFile config;
  config.path = path;
  for (const auto& [key, node] : table) {
    if (const auto* section = node.as_table()) {
      for (const auto& [sub_key, sub_node] : *section) {
        if (sub_node.is_table()) {
          throw InputError(where(path, sub_node.source()) + ": [" + std::string(key.str()) + "." +
                           std::string(sub_key.str()) +
                           "]: tables do not nest; one [subcommand] table each");
        }
        config.entries.push_back(
            entry_of(path, std::string(key.str()), std::string(sub_key.str()), sub_node));
      }
      continue;
    }
    config.entries.push_back(entry_of(path, "", std::string(key.str()), node));
  }
  return config;
}

std::optional<ConfigFile> load_config_file() {
  bool explicit_path = false;
  const std::string path = config_file_path(&explicit_path);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (explicit_path) {
      throw InputError("$RRG_CONFIG names " + path +
                       ", which does not exist; create it or unset RRG_CONFIG");
    }
    return std::nullopt;
  }
  return read_config_file(path);
}

}  // namespace rrg::io
