// See radgraph_annotate.h.
#include "radgraph_annotate.h"

#include <iostream>

#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/report_file.h"
#include "rrg/pipelines/annotate_graphs.h"

namespace rrg::cli {

void add_radgraph_flags(CLI::App& cmd, labelers::radgraph::RadGraphOptions& options) {
  const std::string group = "RadGraph extractor (--labeler radgraph)";
  cmd.add_option("--radgraph-model", options.checkpoint,
                 "RadGraph checkpoint: radgraph.tar.gz / radgraph-xl.tar.gz (AllenNLP "
                 "model.tar.gz) or its extracted folder")
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

void run_radgraph_annotate(const RadGraphAnnotateRun& run,
                           const labelers::radgraph::RadGraphOptions& options) {
  if (options.checkpoint.empty()) {
    throw InputError(
        "--labeler radgraph needs --radgraph-model PATH (radgraph.tar.gz or its "
        "folder; see docs/radgraph.md)");
  }
  if (run.output.empty()) throw InputError("--labeler radgraph needs --out FILE ('-' = stdout)");
  if (run.output.size() >= 4 && run.output.compare(run.output.size() - 4, 4, ".csv") == 0) {
    throw InputError("--labeler radgraph writes JSONL (one RadGraph annotation per line), not CSV");
  }
  const io::ReportFile reports =
      io::read_report_file(run.input, io::parse_report_format(run.input_format));
  const auto extractor = labelers::radgraph::make_radgraph_extractor(options);
  const pipelines::GraphAnnotation result = pipelines::annotate_graphs(reports, *extractor);
  if (run.output == "-") {
    pipelines::write_graph_jsonl(
        result, [](std::string_view block) { std::cout.write(block.data(), block.size()); });
  } else {
    io::AtomicFile file(run.output);
    pipelines::write_graph_jsonl(result, [&file](std::string_view block) { file.write(block); });
    file.commit();
  }
  if (!run.quiet) {
    std::size_t entities = 0, relations = 0;
    for (const auto& g : result.graphs) {
      entities += g.entities.size();
      for (const auto& e : g.entities) relations += e.relations.size();
    }
    std::cerr << "rrg annotate: annotated " << result.ids.size() << " reports ("
              << result.n_distinct << " distinct texts; " << entities << " entities, " << relations
              << " relations) with " << result.extractor << " in " << result.seconds << " s\n";
  }
}

}  // namespace rrg::cli
