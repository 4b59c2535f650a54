// `rrg annotate --labeler radgraph`: reports in, one RadGraph annotation per report out (the
// JSON the `radgraph` package writes per report, with the record's id).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/io/report_file.h"
#include "rrg/metrics/radgraph/graph.h"

namespace rrg::pipelines {

struct GraphAnnotation {
  std::vector<std::string> ids;
  std::vector<metrics::radgraph::Graph> graphs;  // one per id
  std::string extractor;                         // the extractor's description()
  std::size_t n_distinct = 0;                    // distinct texts
  double seconds = 0;
};

// Annotates the first text of every record (each distinct text once, by the extractor).
GraphAnnotation annotate_graphs(const io::ReportFile& reports,
                                metrics::radgraph::GraphExtractor& extractor);

// One line per report: {"id", "text", "entities": {"1": {"tokens", "label", "start_ix",
// "end_ix", "relations"}, ...}, "data_source": null, "data_split": "inference"}, handed to
// `sink` in blocks of about `block_bytes`.
void write_graph_jsonl(const GraphAnnotation& result,
                       const std::function<void(std::string_view)>& sink,
                       std::size_t block_bytes = std::size_t{1} << 20);

}  // namespace rrg::pipelines
