// The labeler registry: one line per labeler, filled once (std::call_once).
#include "rrg/labelers/registry.h"

#include <functional>
#include <mutex>

#include "rrg/core/errors.h"
#include "rrg/labelers/rules/rules_labeler.h"
#include "rrg/text/suggest.h"

namespace rrg::labelers {
namespace {

struct Entry {
  LabelerInfo info;
  std::function<std::unique_ptr<Labeler>(const LabelerOptions&)> make;
};

std::vector<Entry>& entries() {
  static std::vector<Entry> table;
  static std::once_flag filled;
  std::call_once(filled, [] {
    // One line per labeler, added by the labeler's own commit.
    table.push_back({{"rules", "CheXpert-style phrase and negation rules (no model; data/rules/)"},
                     make_rules_labeler});
    table.push_back(
        {{"llm",
          "an LLM behind an OpenAI-compatible server (vLLM, Ollama, OpenAI); see docs/llm.md"},
         [](const LabelerOptions& o) { return std::make_unique<LlmLabeler>(o.llm); }});
    table.push_back(
        {{"chexbert",
          "CheXbert (Smit et al. 2020) from its chexbert.pth, on CPU; see "
          "docs/chexbert.md"},
         [](const LabelerOptions& o) { return std::make_unique<ChexbertLabeler>(o.chexbert); }});
  });
  return table;
}

}  // namespace

const std::vector<LabelerInfo>& labeler_infos() {
  static const std::vector<LabelerInfo> infos = [] {
    std::vector<LabelerInfo> out;
    for (const auto& entry : entries()) out.push_back(entry.info);
    return out;
  }();
  return infos;
}

std::unique_ptr<Labeler> make_labeler(const std::string& name, const LabelerOptions& options) {
  std::vector<std::string> known;
  std::string list;
  for (const auto& entry : entries()) {
    if (entry.info.name == name) return entry.make(options);
    known.push_back(entry.info.name);
    list += (list.empty() ? "" : ", ") + entry.info.name;
  }
  throw InputError("unknown labeler '" + name + "'" + text::did_you_mean(name, known) +
                   " (known: " + list + ")");
}

}  // namespace rrg::labelers
