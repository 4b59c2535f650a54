// The labeler flags (see labeler_flags.h).
#include "labeler_flags.h"

#include "chexbert_flags.h"
#include "llm_flags.h"
#include "rrg/core/errors.h"

namespace rrg::cli {

void add_labeler_flags(CLI::App& cmd, LabelerFlags& flags, const std::string& purpose,
                       bool allow_none, const std::string& llm_seed_flag) {
  std::string help = "Labeler " + purpose + ":";
  help +=
      "\n  auto: chexbert when a checkpoint is configured (--chexbert-checkpoint, "
      "$RRG_CHEXBERT_CHECKPOINT or the configuration file), else rules";
  for (const auto& info : labelers::labeler_infos()) {
    help += "\n  " + info.name + ": " + info.description;
  }
  if (allow_none) help += "\n  none: no labels (skips the clinical metrics)";
  cmd.add_option("--labeler", flags.labeler, help)->type_name("NAME")->capture_default_str();
  cmd.add_option("--rules-dir", flags.rules_dir,
                 "rules labeler: read phrase and cue lists from DIR instead of the built-in ones")
      ->type_name("DIR");
  add_llm_labeler_flags(cmd, flags.llm, "LLM labeler (--labeler llm)", llm_seed_flag);
  add_chexbert_labeler_flags(cmd, flags.chexbert);
}

std::unique_ptr<labelers::Labeler> make_labeler(const LabelerFlags& flags) {
  if (flags.labeler == "none") return nullptr;
  labelers::LabelerOptions options;
  options.rules_dir = flags.rules_dir;
  options.llm = flags.llm;
  options.chexbert = flags.chexbert;
  use_shared_cache_flags(flags.llm, options.chexbert);
  std::string name = flags.labeler;
  if (name == "auto") name = flags.chexbert.checkpoint.empty() ? "rules" : "chexbert";
  try {
    return labelers::make_labeler(name, options);
  } catch (const InputError& e) {
    if (flags.labeler != "auto") throw;
    throw InputError(std::string(e.what()) +
                     " (--labeler auto chose chexbert because a "
                     "checkpoint is configured; give --labeler rules to use the rules labeler)");
  }
}

}  // namespace rrg::cli
