// The configuration file applied to the flags (see config_flags.h).
#include "config_flags.h"

#include <string>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/text/suggest.h"

namespace rrg::cli {
namespace {

std::string where(const io::ConfigFile& config, const io::ConfigEntry& entry) {
  return config.path + ":" + std::to_string(entry.line) + ":" + std::to_string(entry.column);
}

std::vector<std::string> long_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) {
      if (name != "help") names.push_back(name);
    }
  }
  return names;
}

// The help text names the configured default instead of the built-in one.
void describe_default(CLI::Option& option, const io::ConfigFile& config,
                      const io::ConfigEntry& entry) {
  std::string shown;
  for (const auto& value : entry.values) shown += (shown.empty() ? "" : ",") + value;
  const std::string note = "(default: " + shown + ", from " + config.path + ")";
  std::string text = option.get_description();
  const std::size_t start = text.find("(default: ");
  if (start != std::string::npos) {
    const std::size_t end = text.find(')', start);
    text.replace(start, end == std::string::npos ? std::string::npos : end - start + 1, note);
  } else {
    text += (text.empty() ? "" : " ") + note;
  }
  option.description(text);
}

void set_default(CLI::Option& option, const io::ConfigFile& config, const io::ConfigEntry& entry) {
  describe_default(option, config, entry);
  try {
    if (entry.is_array) {
      if (option.get_expected_max() <= 1) {
        throw InputError(where(config, entry) + ": --" + entry.key +
                         " takes one value, not an array");
      }
      option.default_val(entry.values);
    } else {
      option.default_val(entry.values.front());
    }
  } catch (const CLI::Error& e) {
    throw InputError(where(config, entry) + ": \"" + entry.key + "\": " + e.what());
  }
}

}  // namespace

void apply_config(CLI::App& app, const io::ConfigFile& config) {
  std::vector<CLI::App*> subcommands = app.get_subcommands({});
  std::vector<std::string> names;
  for (const CLI::App* sub : subcommands) names.push_back(sub->get_name());

  for (const bool top_level : {true, false}) {
    for (const io::ConfigEntry& entry : config.entries) {
      if (entry.section.empty() != top_level) continue;
      if (entry.key == "help") {
        throw InputError(where(config, entry) + ": \"help\" is not a setting");
      }
      if (top_level) {
        bool applied = false;
        std::vector<std::string> known;
        for (CLI::App* sub : subcommands) {
          if (CLI::Option* option = sub->get_option_no_throw("--" + entry.key)) {
            set_default(*option, config, entry);
            applied = true;
          }
          for (auto& name : long_names(*sub)) known.push_back(std::move(name));
        }
        if (!applied) {
          throw InputError(where(config, entry) + ": no subcommand has a flag --" + entry.key +
                           text::did_you_mean(entry.key, known) +
                           "; keys are flag names without the dashes (docs/config.md)");
        }
        continue;
      }
      CLI::App* sub = nullptr;
      for (CLI::App* candidate : subcommands) {
        if (candidate->get_name() == entry.section) sub = candidate;
      }
      if (sub == nullptr) {
        throw InputError(where(config, entry) + ": [" + entry.section + "] is not a subcommand" +
                         text::did_you_mean(entry.section, names));
      }
      CLI::Option* option = sub->get_option_no_throw("--" + entry.key);
      if (option == nullptr) {
        throw InputError(where(config, entry) + ": rrg " + entry.section + " has no flag --" +
                         entry.key + text::did_you_mean(entry.key, long_names(*sub)));
      }
      set_default(*option, config, entry);
    }
  }
}

}  // namespace rrg::cli
