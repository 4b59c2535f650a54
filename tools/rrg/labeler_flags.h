// The flags that choose and configure a labeler, defined once for every subcommand that labels
// (`rrg annotate`, `rrg evaluate`): --labeler (its help listed from the labeler registry), the
// rules labeler's --rules-dir, and the llm and chexbert labelers' flags (llm_flags.h,
// chexbert_flags.h).
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "rrg/labelers/registry.h"

namespace rrg::cli {

struct LabelerFlags {
  std::string labeler = "auto";
  std::string rules_dir;
  labelers::LlmLabelerOptions llm;
  labelers::ChexbertOptions chexbert;
};

// Adds the flags to `cmd`, writing into `flags` (which must outlive parsing). `purpose` ends the
// --labeler help ("for the clinical metrics"); `allow_none` adds the choice "none".
// `llm_seed_flag` names the llm labeler's sampling seed flag ("--seed" unless the subcommand
// uses --seed itself).
void add_labeler_flags(CLI::App& cmd, LabelerFlags& flags, const std::string& purpose,
                       bool allow_none, const std::string& llm_seed_flag = "--seed");

// The labeler the flags choose (nullptr for "none"), with the shared cache flags applied. "auto"
// is CheXbert when a checkpoint is configured (--chexbert-checkpoint, $RRG_CHEXBERT_CHECKPOINT
// or the configuration file), else the rules labeler. Throws rrg::InputError for an unknown name
// (suggesting a close one) or unusable options.
std::unique_ptr<labelers::Labeler> make_labeler(const LabelerFlags& flags);

}  // namespace rrg::cli
