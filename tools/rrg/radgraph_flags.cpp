// See radgraph_flags.h.
#include "radgraph_flags.h"

#include <cstdlib>
#include <string>

namespace rrg::cli {

void add_radgraph_flags(CLI::App& cmd, labelers::radgraph::RadGraphOptions& options) {
  const std::string group = "RadGraph (docs/radgraph.md)";
  cmd.add_option("--radgraph-model", options.checkpoint,
                 "RadGraph checkpoint: radgraph-xl.tar.gz / radgraph.tar.gz (AllenNLP "
                 "model.tar.gz) or its extracted folder (default: $RRG_RADGRAPH_MODEL)")
      ->type_name("PATH")
      ->group(group);
  cmd.add_option("--radgraph-tokenizer", options.tokenizer_dir,
                 "Folder with the encoder's vocab.txt (and config.json), e.g. the Hugging Face "
                 "snapshot of the model config.json names (default: searched in the checkpoint "
                 "folder and the Hugging Face cache)")
      ->type_name("DIR")
      ->group(group);
  cmd.add_option("--radgraph-batch-size", options.batch_size,
                 "Reports per forward pass (length-sorted; no graph depends on it)")
      ->type_name("N")
      ->capture_default_str()
      ->group(group);
}

std::string radgraph_checkpoint(const labelers::radgraph::RadGraphOptions& options) {
  if (!options.checkpoint.empty()) return options.checkpoint;
  const char* env = std::getenv("RRG_RADGRAPH_MODEL");
  return env != nullptr ? env : "";
}

}  // namespace rrg::cli
