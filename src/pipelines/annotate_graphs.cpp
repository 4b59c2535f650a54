// See annotate_graphs.h.
#include "rrg/pipelines/annotate_graphs.h"

#include <chrono>
#include <unordered_set>

#include "rrg/io/json_text.h"
#include "rrg/labelers/radgraph/radgraph.h"
#include "rrg/metrics/radgraph/graph_json.h"

namespace rrg::pipelines {

GraphAnnotation annotate_graphs(const io::ReportFile& reports,
                                metrics::radgraph::GraphExtractor& extractor) {
  const auto start = std::chrono::steady_clock::now();
  GraphAnnotation result;
  std::vector<std::string> texts;
  texts.reserve(reports.records.size());
  for (const auto& record : reports.records) {
    result.ids.push_back(record.id);
    texts.push_back(record.texts.front());
  }
  result.n_distinct = std::unordered_set<std::string>(texts.begin(), texts.end()).size();
  result.graphs = extractor.extract(texts);
  result.extractor = extractor.description();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

void write_graph_jsonl(const GraphAnnotation& result,
                       const std::function<void(std::string_view)>& sink, std::size_t block_bytes) {
  std::string block;
  for (std::size_t i = 0; i < result.ids.size(); ++i) {
    // The annotation is an object "{...}": the id goes first.
    const std::string graph = metrics::radgraph::graph_to_radgraph_line(result.graphs[i]);
    block += "{\"id\":";
    block += io::json_string(result.ids[i]);
    block += ',';
    block.append(graph, 1, std::string::npos);
    block += '\n';
    if (block.size() >= block_bytes) {
      sink(block);
      block.clear();
    }
  }
  if (!block.empty()) sink(block);
}

}  // namespace rrg::pipelines
