// The RadGraph annotation JSON (graph.h) read and written: one report's object
//   {"text": "...", "entities": {"1": {"tokens": "...", "label": "...", "start_ix": 0,
//    "end_ix": 0, "relations": [["located_at", "2"]]}}}
// and the package's batch object {"0": <report>, "1": <report>, ...} (RadGraph(...)'s output,
// keys the report indices). Used by the metrics' tests, the extractor's reference tests and
// `--save`-style dumps of graphs.
//
// Reading is strict, because a malformed annotation would silently change every reward: a
// missing field, a field of the wrong type, a relation that is not a [type, key] pair of strings
// or one pointing to an entity the report does not have is an rrg::InputError naming `where`
// (a file and record), the entity and the problem. Extra fields (e.g. "data_source",
// "data_split" of the RadGraph release) are ignored.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rrg/metrics/radgraph/graph.h"

namespace rrg::metrics::radgraph {

// One report's annotation. "text" may be absent (RadGraph's training files keep it elsewhere):
// Graph::text is then "". Entities keep the JSON object's key order sorted numerically when
// every key is a non-negative integer (RadGraph's "1", "2", ..., "10"), else lexicographically.
Graph graph_from_json(const nlohmann::json& annotation, const std::string& where);

// The batch object {"0": ..., "1": ...}: graphs in the order of the integer keys, which must be
// 0 .. n-1 exactly.
std::vector<Graph> graphs_from_json(const nlohmann::json& batch, const std::string& where);

// The annotation of one graph (entities in Graph order, "text" always written).
nlohmann::json graph_to_json(const Graph& graph);

// The annotation in the layout the `radgraph` package writes: keys in its order ("text",
// "entities" with each entity's "tokens", "label", "start_ix", "end_ix", "relations"), then
// "data_source": null and "data_split": "inference"; one line, invalid UTF-8 replaced. What
// `rrg annotate --labeler radgraph` writes and the extractor's cache stores.
std::string graph_to_radgraph_line(const Graph& graph);

// {"0": graphs[0], "1": graphs[1], ...}.
nlohmann::json graphs_to_json(const std::vector<Graph>& graphs);

// A file of graphs: one batch object ({"0": ..., "1": ...}), one annotation (one graph), or JSON
// Lines with one annotation per non-blank line. rrg::InputError naming the file (and the line
// for JSON Lines) for an unreadable file, invalid JSON or a malformed annotation.
std::vector<Graph> read_graphs_file(const std::string& path);

}  // namespace rrg::metrics::radgraph
