// RadGraph annotation JSON (see graph_json.h).
#include "rrg/metrics/radgraph/graph_json.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

#include "rrg/core/errors.h"

namespace rrg::metrics::radgraph {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw InputError(where + ": " + what);
}

// The value of a key made only of decimal digits (at most 9 of them), or -1.
long long decimal_key(const std::string& key) {
  if (key.empty() || key.size() > 9) return -1;
  long long value = 0;
  for (const char c : key) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// The object's keys, numerically when all are decimal, else as nlohmann orders them.
std::vector<std::string> ordered_keys(const json& object) {
  std::vector<std::string> keys;
  bool all_decimal = true;
  for (auto it = object.begin(); it != object.end(); ++it) {
    keys.push_back(it.key());
    if (decimal_key(it.key()) < 0) all_decimal = false;
  }
  if (all_decimal) {
    std::stable_sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
      return decimal_key(a) < decimal_key(b);
    });
  }
  return keys;
}

const json& field(const json& object, const char* name, const std::string& where) {
  const auto it = object.find(name);
  if (it == object.end()) fail(where, std::string("missing \"") + name + "\"");
  return *it;
}

std::string string_field(const json& object, const char* name, const std::string& where) {
  const json& value = field(object, name, where);
  if (!value.is_string()) fail(where, std::string("\"") + name + "\" is not a string");
  return value.get<std::string>();
}

int index_field(const json& object, const char* name, const std::string& where) {
  const json& value = field(object, name, where);
  if (!value.is_number_integer()) fail(where, std::string("\"") + name + "\" is not an integer");
  const std::int64_t index = value.get<std::int64_t>();
  if (index < 0 || index > INT32_MAX) {
    fail(where, std::string("\"") + name + "\" is out of range: " + value.dump());
  }
  return static_cast<int>(index);
}

Entity entity_from_json(const std::string& key, const json& object, const std::string& where) {
  if (!object.is_object()) fail(where, "is not an object");
  Entity entity;
  entity.key = key;
  entity.tokens = string_field(object, "tokens", where);
  entity.label = string_field(object, "label", where);
  entity.start_ix = index_field(object, "start_ix", where);
  entity.end_ix = index_field(object, "end_ix", where);
  const json& relations = field(object, "relations", where);
  if (!relations.is_array()) fail(where, "\"relations\" is not an array");
  for (std::size_t r = 0; r < relations.size(); ++r) {
    const json& relation = relations[r];
    if (!relation.is_array() || relation.size() != 2 || !relation[0].is_string() ||
        !relation[1].is_string()) {
      fail(where, "relation " + std::to_string(r) +
                      " is not a [type, entity key] pair of strings: " + relation.dump());
    }
    entity.relations.push_back({relation[0].get<std::string>(), relation[1].get<std::string>()});
  }
  return entity;
}

}  // namespace

Graph graph_from_json(const json& annotation, const std::string& where) {
  if (!annotation.is_object()) fail(where, "a RadGraph annotation must be a JSON object");
  Graph graph;
  if (annotation.contains("text")) graph.text = string_field(annotation, "text", where);
  const json& entities = field(annotation, "entities", where);
  if (!entities.is_object()) fail(where, "\"entities\" is not an object");
  std::set<std::string> known;
  for (const auto& key : ordered_keys(entities)) {
    graph.entities.push_back(entity_from_json(key, entities.at(key), where + ", entity " + key));
    known.insert(key);
  }
  for (const auto& entity : graph.entities) {
    for (const auto& relation : entity.relations) {
      if (known.count(relation.target) == 0) {
        fail(where + ", entity " + entity.key, "relation \"" + relation.type +
                                                   "\" points to entity \"" + relation.target +
                                                   "\", which the report does not have");
      }
    }
  }
  return graph;
}

std::vector<Graph> graphs_from_json(const json& batch, const std::string& where) {
  if (!batch.is_object()) fail(where, "a RadGraph batch must be a JSON object {\"0\": ...}");
  const std::vector<std::string> keys = ordered_keys(batch);
  std::vector<Graph> graphs;
  graphs.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] != std::to_string(i)) {
      fail(where, "report keys must be \"0\" .. \"" + std::to_string(keys.size() - 1) +
                      "\"; found \"" + keys[i] + "\"");
    }
    graphs.push_back(graph_from_json(batch.at(keys[i]), where + ", report " + keys[i]));
  }
  return graphs;
}

namespace {

// The "entities" object of `graph`, in Graph order, for either JSON type (nlohmann::json for
// graph_to_json, ordered_json for RadGraph's own layout).
template <typename Json>
Json entities_json(const Graph& graph) {
  Json entities = Json::object();
  for (const auto& entity : graph.entities) {
    Json relations = Json::array();
    for (const auto& relation : entity.relations) {
      relations.push_back(Json::array({relation.type, relation.target}));
    }
    entities[entity.key] = {{"tokens", entity.tokens},
                            {"label", entity.label},
                            {"start_ix", entity.start_ix},
                            {"end_ix", entity.end_ix},
                            {"relations", std::move(relations)}};
  }
  return entities;
}

}  // namespace

json graph_to_json(const Graph& graph) {
  return {{"text", graph.text}, {"entities", entities_json<json>(graph)}};
}

std::string graph_to_radgraph_line(const Graph& graph) {
  const nlohmann::ordered_json annotation = {
      {"text", graph.text},
      {"entities", entities_json<nlohmann::ordered_json>(graph)},
      {"data_source", nullptr},
      {"data_split", "inference"}};
  return annotation.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

json graphs_to_json(const std::vector<Graph>& graphs) {
  json batch = json::object();
  for (std::size_t i = 0; i < graphs.size(); ++i)
    batch[std::to_string(i)] = graph_to_json(graphs[i]);
  return batch;
}

std::vector<Graph> read_graphs_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();

  // One JSON document: a batch, or a single annotation.
  json document = json::parse(content, nullptr, /*allow_exceptions=*/false);
  if (!document.is_discarded()) {
    if (document.is_object() && document.contains("entities")) {
      return {graph_from_json(document, path)};
    }
    return graphs_from_json(document, path);
  }
  // JSON Lines.
  std::vector<Graph> graphs;
  std::istringstream lines(content);
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + " line " + std::to_string(number);
    json annotation;
    try {
      annotation = json::parse(line);
    } catch (const json::parse_error& error) {
      fail(where, std::string("invalid JSON: ") + error.what());
    }
    graphs.push_back(graph_from_json(annotation, where));
  }
  return graphs;
}

}  // namespace rrg::metrics::radgraph
