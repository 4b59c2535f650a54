// See radgraph_annotate.h.
#include "radgraph_annotate.h"

#include <iostream>

#include "job_runner.h"
#include "rrg/core/errors.h"
#include "rrg/io/atomic_file.h"
#include "rrg/io/report_file.h"
#include "rrg/pipelines/annotate_graphs.h"

namespace rrg::cli {

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
  // Extraction shows progress (distinct texts) and Ctrl-C stops it; the graphs reach the cache
  // batch by batch, so the same command continues where it stopped.
  JobRunner runner;
  const io::ReportFile reports =
      io::read_report_file(run.input, io::parse_report_format(run.input_format));
  const auto extractor = labelers::radgraph::make_radgraph_extractor(options);
  pipelines::GraphAnnotation result;
  const auto work = [&] { result = pipelines::annotate_graphs(reports, *extractor); };
  if (Job* job = extractor->job()) {
    try {
      runner.run(*job, "radgraph", work, run.quiet);
    } catch (const std::exception&) {
      if (!runner.interrupted()) throw;
    }
    if (runner.interrupted()) {
      throw std::runtime_error(
          "annotate: interrupted; nothing was written (the graphs extracted so far are cached: "
          "run the same command again to continue)");
    }
  } else {
    work();
  }
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
