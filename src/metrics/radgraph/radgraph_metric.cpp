// RadGraph F1 as an rrg metric (see radgraph_metric.h).
#include "rrg/metrics/radgraph/radgraph_metric.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "rrg/metrics/python_math.h"
#include "rrg/metrics/radgraph/rewards.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics::radgraph {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Distinct texts in order of first appearance, and each text's position among them.
class DistinctTexts {
 public:
  std::size_t add(const std::string& text) {
    const auto [it, inserted] = index_.emplace(text, texts_.size());
    if (inserted) texts_.push_back(text);
    return it->second;
  }
  const std::vector<std::string>& texts() const { return texts_; }

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> texts_;
};

constexpr std::size_t kNoGraph = static_cast<std::size_t>(-1);

// RadGraph.forward replaces an empty report by "None" before preprocessing
// (`["None" if not s else s for s in hyps]`); done here so that every extractor sees what the
// reference model saw.
const std::string& model_input(const std::string& text) {
  static const std::string kNone = "None";
  return text.empty() ? kNone : text;
}

}  // namespace

RadGraphMetric::RadGraphMetric(RadGraphMetricOptions options) : options_(std::move(options)) {
  if (!options_.extractor) throw std::invalid_argument("RadGraphMetric: no graph extractor");
}

std::vector<KeyInfo> RadGraphMetric::keys() const {
  std::vector<KeyInfo> keys;
  if (has_rewards()) {
    keys.push_back({kRadGraphSimpleName});
    keys.push_back({kRadGraphPartialName});
    keys.push_back({kRadGraphCompleteName});
  }
  if (has_radcliq()) keys.push_back({kRadGraphRadCliqName});
  return keys;
}

bool RadGraphMetric::is_radcliq_key(std::size_t key) const {
  return has_radcliq() && key + 1 == keys().size();
}

void RadGraphMetric::sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const {
  signature.set("model", options_.extractor->description());
  if (is_radcliq_key(key)) {
    // CXR-Report-Metric's compute_f1 of entity and relation sets, RadEval's radgraph_radcliq.
    signature.set("conv", "radcliq-v1")
        .set("variant", "entity-relation-mean")
        .set("avg", "sum/len");
  } else {
    static const char* const kLevels[] = {"simple", "partial", "complete"};
    // radgraph/rewards.py compute_reward(..., "all") inside F1RadGraph.
    signature.set("conv", "f1radgraph").set("variant", kLevels[key]).set("avg", "np.mean");
  }
  signature.set("clean", inputs.cleaner(TextConvention::kCoco)).set("nrefs", "1");
}

SampleStatistics RadGraphMetric::statistics(ScoringInputs& inputs) const {
  const TextCorpus& corpus = inputs.texts(TextConvention::kCoco);
  const std::size_t n = corpus.size();
  std::vector<const std::string*> references(n);
  static const std::string kEmpty;
  for (std::size_t i = 0; i < n; ++i) {
    references[i] = corpus.references[i].empty() ? &kEmpty : &corpus.references[i].front();
  }

  // F1RadGraph leaves pairs with an empty text out of the model's batch; RadCliQ's score sends
  // every text. Either way a text is extracted once.
  DistinctTexts distinct;
  std::vector<std::size_t> hypothesis_graph(n, kNoGraph), reference_graph(n, kNoGraph);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& hypothesis = corpus.hypotheses[i];
    const std::string& reference = *references[i];
    const bool rewards_need = has_rewards() && !hypothesis.empty() && !reference.empty();
    if (has_radcliq() || rewards_need) {
      hypothesis_graph[i] = distinct.add(model_input(hypothesis));
      reference_graph[i] = distinct.add(model_input(reference));
    }
  }

  std::vector<Graph> graphs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    last_ = {n, distinct.texts().size(), 0};
    if (!distinct.texts().empty()) {
      graphs = options_.extractor->extract(distinct.texts());
      if (const Job* job = options_.extractor->job())
        last_.already_extracted = job->progress().cached;
    }
  }
  if (graphs.size() != distinct.texts().size()) {
    throw std::runtime_error("RadGraph: the extractor returned " + std::to_string(graphs.size()) +
                             " graphs for " + std::to_string(distinct.texts().size()) + " texts");
  }

  static const Graph kNoEntities;
  const std::size_t width = keys().size();
  SampleStatistics stats(n, width);
  for (std::size_t i = 0; i < n; ++i) {
    double* row = stats.row(i);
    const Graph& hypothesis =
        hypothesis_graph[i] == kNoGraph ? kNoEntities : graphs[hypothesis_graph[i]];
    const Graph& reference =
        reference_graph[i] == kNoGraph ? kNoEntities : graphs[reference_graph[i]];
    if (has_rewards()) {
      const RewardLevels levels =
          reward_levels_for_texts(corpus.hypotheses[i], hypothesis, *references[i], reference);
      row[0] = levels.simple;
      row[1] = levels.partial;
      row[2] = levels.complete;
    }
    if (has_radcliq()) row[width - 1] = radcliq_f1(hypothesis, reference).combined;
  }
  return stats;
}

void RadGraphMetric::aggregate(const SampleStatistics& stats, const std::size_t* rows,
                               std::size_t n, double* out) const {
  const std::size_t width = keys().size();
  std::vector<double> column(n);
  for (std::size_t key = 0; key < width; ++key) {
    for (std::size_t i = 0; i < n; ++i) column[i] = stats.row(rows[i])[key];
    if (is_radcliq_key(key)) {
      // Python's sum() of a list: left to right.
      double sum = 0.0;
      for (const double value : column) sum += value;
      out[key] = n == 0 ? 0.0 : sum / static_cast<double>(n);
    } else {
      out[key] = n == 0 ? kNaN : numpy_mean(column);
    }
  }
}

void RadGraphMetric::sample_values(const double* row, double* out) const {
  const std::size_t width = keys().size();
  for (std::size_t key = 0; key < width; ++key) out[key] = row[key];
}

KeyAggregation RadGraphMetric::aggregation(std::size_t key) const {
  KeyAggregation aggregation;
  if (is_radcliq_key(key)) return aggregation;  // a left-to-right mean: aggregate() computes it
  aggregation.kind = KeyAggregation::Kind::kMean;
  aggregation.column = key;
  return aggregation;
}

Job* RadGraphMetric::job() const {
  return options_.extractor->job();
}

void RadGraphMetric::preload() const {
  std::lock_guard<std::mutex> lock(mutex_);
  options_.extractor->preload();
}

RadGraphExtractionStats RadGraphMetric::last_extraction() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_;
}

std::string RadGraphMetric::summary() const {
  const RadGraphExtractionStats stats = last_extraction();
  return "RadGraph: " + std::to_string(stats.pairs) + " pairs, " +
         std::to_string(stats.distinct_texts) + " distinct texts (" +
         std::to_string(stats.already_extracted) + " already extracted) by " +
         options_.extractor->description();
}

}  // namespace rrg::metrics::radgraph
