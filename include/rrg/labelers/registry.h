// The explicit list of labelers rrg knows (one line per labeler in registry.cpp).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "rrg/labelers/chexbert/chexbert.h"
#include "rrg/labelers/labeler.h"
#include "rrg/labelers/llm/llm_labeler.h"

namespace rrg::labelers {

// Settings of the labelers; each field names the labeler that reads it.
struct LabelerOptions {
  // rules: directory with the phrase and cue lists; empty = the lists compiled into rrg.
  std::string rules_dir;
  // rules: threads that label a batch of reports (0 = every core); labels do not depend on it.
  std::size_t threads = 0;
  // llm: server, model, request fields, prompt, label scheme and cache (see llm_labeler.h).
  LlmLabelerOptions llm;
  // chexbert: checkpoint, vocabulary, threads, batch size, int8, cache (see chexbert.h).
  ChexbertOptions chexbert;
};

struct LabelerInfo {
  std::string name;         // e.g. "rules"
  std::string description;  // one line for --help
};

const std::vector<LabelerInfo>& labeler_infos();

// Builds labeler `name`. Throws rrg::InputError for an unknown name (suggesting close matches)
// or unusable options.
std::unique_ptr<Labeler> make_labeler(const std::string& name, const LabelerOptions& options);

}  // namespace rrg::labelers
