// RadGraph F1 as an rrg metric (rrg/metrics/scorer.h): a GraphExtractor turns every prediction and
// first reference (the coco convention's texts: --clean applies) into a graph, distinct texts
// once, and rewards.h scores each pair.
//
// Keys (per sample and corpus):
//   RadGraph_simple, RadGraph_partial, RadGraph_complete — F1RadGraph(reward_level="all") as
//     RadEval's `radgraph` gives them: 0 for a pair with an empty prediction or reference text
//     (not extracted), corpus value np.mean of the per-sample values (NaN for no sample);
//   RadGraph_radcliq — RadCliQ's (entity F1 + relation F1) / 2 per pair as RadEval's
//     `radgraph_radcliq` gives it: every text extracted (an empty one as "None", as
//     RadGraph.forward does), corpus value sum(scores) / len(scores) summed left to right (0.0 for
//     no sample).
//
// RadEval runs the two families with different checkpoints (radgraph-xl for the reward levels,
// the original radgraph for RadCliQ), so a metric instance is built for one family or both with
// the extractor that matches (docs/radgraph.md).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rrg/metrics/radgraph/graph.h"
#include "rrg/metrics/scorer.h"

namespace rrg::metrics::radgraph {

constexpr const char* kRadGraphSimpleName = "RadGraph_simple";
constexpr const char* kRadGraphPartialName = "RadGraph_partial";
constexpr const char* kRadGraphCompleteName = "RadGraph_complete";
constexpr const char* kRadGraphRadCliqName = "RadGraph_radcliq";

enum class RadGraphKeys {
  kRewards,  // RadGraph_simple, _partial, _complete
  kRadCliq,  // RadGraph_radcliq
  kAll,      // the four, from one extractor
};

struct RadGraphMetricOptions {
  std::shared_ptr<GraphExtractor> extractor;  // required
  RadGraphKeys keys = RadGraphKeys::kAll;
};

// What one extraction pass produced (for summary() and the tests).
struct RadGraphExtractionStats {
  std::size_t pairs = 0;
  std::size_t distinct_texts = 0;  // texts handed to the extractor
  // Of which the extractor had already (in memory or its cache), when it reports progress.
  std::size_t already_extracted = 0;
};

class RadGraphMetric final : public Scorer {
 public:
  // std::invalid_argument without an extractor.
  explicit RadGraphMetric(RadGraphMetricOptions options);

  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  // Row: the selected keys' per-sample values, in keys() order.
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  void aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                 double* out) const override;
  void sample_values(const double* row, double* out) const override;
  KeyAggregation aggregation(std::size_t key) const override;
  Job* job() const override;
  std::string summary() const override;
  // The extractor's preload().
  void preload() const override;

  RadGraphExtractionStats last_extraction() const;

 private:
  bool has_rewards() const { return options_.keys != RadGraphKeys::kRadCliq; }
  bool has_radcliq() const { return options_.keys != RadGraphKeys::kRewards; }
  bool is_radcliq_key(std::size_t key) const;

  RadGraphMetricOptions options_;
  mutable std::mutex mutex_;  // one extraction at a time (extractors need not be reentrant)
  mutable RadGraphExtractionStats last_;
};

}  // namespace rrg::metrics::radgraph
