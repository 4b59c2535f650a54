// rrg-radgraph-dev: a developer program that scores graphs already extracted with rrg's RadGraph
// metrics (rrg/metrics/radgraph/rewards.h), e.g. the annotation lists F1RadGraph returns or
// RadGraph(...)'s batch output, until the extractor is wired into `rrg evaluate`.
//
//   rrg-radgraph-dev --pred PRED_GRAPHS --ref REF_GRAPHS
//
// Each file is a batch object {"0": ..., "1": ...}, one annotation, or JSON Lines of annotations
// (graph_json.h read_graphs_file), paired by position. A graph whose "text" is "" or missing
// counts as an empty report (F1RadGraph's levels 0; RadGraph's own output always has a text,
// "None" for an empty report). Writes
// one JSON object on stdout: per-sample lists and corpus values of RadGraph_simple,
// RadGraph_partial, RadGraph_complete (np.mean) and RadGraph_radcliq (sum / len), plus
// RadCliQ's entity and relation F1 per sample.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rrg/core/errors.h"
#include "rrg/metrics/python_math.h"
#include "rrg/metrics/radgraph/graph_json.h"
#include "rrg/metrics/radgraph/rewards.h"

namespace {

using namespace rrg::metrics::radgraph;

constexpr const char* kUsage = "usage: rrg-radgraph-dev --pred PRED_GRAPHS --ref REF_GRAPHS\n";

int run(int argc, char** argv) {
  std::string pred, ref;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--pred" || a == "--ref") && i + 1 < argc) {
      (a == "--pred" ? pred : ref) = argv[++i];
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      throw rrg::InputError("unknown or incomplete argument " + a + "\n" + kUsage);
    }
  }
  if (pred.empty() || ref.empty())
    throw rrg::InputError(std::string("--pred and --ref are required\n") + kUsage);
  const std::vector<Graph> hypotheses = read_graphs_file(pred);
  const std::vector<Graph> references = read_graphs_file(ref);
  if (hypotheses.size() != references.size()) {
    throw rrg::InputError(pred + " has " + std::to_string(hypotheses.size()) + " graphs, " + ref +
                          " has " + std::to_string(references.size()));
  }
  std::vector<double> simple, partial, complete, radcliq, entity, relation;
  for (std::size_t i = 0; i < hypotheses.size(); ++i) {
    const RewardLevels levels = reward_levels_for_texts(hypotheses[i].text, hypotheses[i],
                                                        references[i].text, references[i]);
    const RadCliqF1 f1 = radcliq_f1(hypotheses[i], references[i]);
    simple.push_back(levels.simple);
    partial.push_back(levels.partial);
    complete.push_back(levels.complete);
    radcliq.push_back(f1.combined);
    entity.push_back(f1.entity_f1);
    relation.push_back(f1.relation_f1);
  }
  double radcliq_sum = 0.0;
  for (const double v : radcliq) radcliq_sum += v;
  nlohmann::json out = {
      {"per_sample",
       {{"RadGraph_simple", simple},
        {"RadGraph_partial", partial},
        {"RadGraph_complete", complete},
        {"RadGraph_radcliq", radcliq},
        {"entity_f1", entity},
        {"relation_f1", relation}}},
      {"corpus",
       {{"RadGraph_simple", rrg::metrics::numpy_mean(simple)},
        {"RadGraph_partial", rrg::metrics::numpy_mean(partial)},
        {"RadGraph_complete", rrg::metrics::numpy_mean(complete)},
        {"RadGraph_radcliq",
         radcliq.empty() ? 0.0 : radcliq_sum / static_cast<double>(radcliq.size())}}}};
  std::cout << out.dump(2) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const rrg::InputError& error) {
    std::cerr << "rrg-radgraph-dev: " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "rrg-radgraph-dev: " << error.what() << "\n";
    return 1;
  }
}
