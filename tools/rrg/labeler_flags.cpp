// The labeler flags (see labeler_flags.h).
#include "labeler_flags.h"

#include "chexbert_flags.h"
#include "llm_flags.h"

namespace rrg::cli {

void add_labeler_flags(CLI::App& cmd, LabelerFlags& flags, const std::string& purpose,
                       bool allow_none) {
  std::string help = "Labeler " + purpose + ":";
  for (const auto& info : labelers::labeler_infos()) {
    help += "\n  " + info.name + ": " + info.description;
  }
  if (allow_none) help += "\n  none: no labels (skips the clinical metrics)";
  cmd.add_option("--labeler", flags.labeler, help)->type_name("NAME")->capture_default_str();
  cmd.add_option("--rules-dir", flags.rules_dir,
                 "rules labeler: read phrase and cue lists from DIR instead of the built-in ones")
      ->type_name("DIR");
  add_llm_labeler_flags(cmd, flags.llm);
  add_chexbert_labeler_flags(cmd, flags.chexbert);
}

std::unique_ptr<labelers::Labeler> make_labeler(const LabelerFlags& flags) {
  if (flags.labeler == "none") return nullptr;
  labelers::LabelerOptions options;
  options.rules_dir = flags.rules_dir;
  options.llm = flags.llm;
  options.chexbert = flags.chexbert;
  use_shared_cache_flags(flags.llm, options.chexbert);
  return labelers::make_labeler(flags.labeler, options);
}

}  // namespace rrg::cli
