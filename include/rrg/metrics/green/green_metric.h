// GREEN as an rrg metric (rrg/metrics/scorer.h): every pair's judge answer from GreenScorer
// (green_scorer.h), one statistics row per pair (GREEN, the six clinically significant error
// counts, matched findings, clinically insignificant errors; NaN for a pair left out because it
// has no score), corpus values as GREEN's summary computes them (np.mean over the scored pairs,
// GREEN_std = np.std with ddof 0; NaN when no pair has a score).
//
// Texts: the candidate and the first reference as given (the coco convention: --clean applies),
// as GREEN's own script and RadEval pass them.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rrg/core/job.h"
#include "rrg/metrics/green/green_scorer.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics::green {

inline constexpr const char* kGreenStdKey = "GREEN_std";

class GreenMetric final : public Scorer {
 public:
  // Validates the options and opens the cache (GreenScorer's constructor).
  explicit GreenMetric(GreenOptions options);
  ~GreenMetric() override;

  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  void aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                 double* out) const override;
  void sample_values(const double* row, double* out) const override;
  KeyAggregation aggregation(std::size_t key) const override;
  Job* job() const override;

  // The per-pair details of the last statistics() call (answers, errors), for outputs.
  const GreenResult& last_result() const { return last_; }
  // "GREEN: 120 pairs (100 from cache), ..." of the last call.
  std::string summary() const;

 private:
  class Progress;
  std::unique_ptr<GreenScorer> scorer_;
  std::unique_ptr<Progress> progress_;
  mutable std::mutex mutex_;  // one statistics() at a time (the scorer is not reentrant)
  mutable GreenResult last_;
};

}  // namespace rrg::metrics::green
