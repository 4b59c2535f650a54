// The clinical family as a scorer (rrg/metrics/scorer.h): the CheXpert labels of every
// prediction/reference pair (ScoringInputs::labels()) compared as compute_clinical_metrics()
// does (clinical.h), with every key of clinical_metric_names() plus the per-sample agreement
// counts n_agree and n_disagree.
//
// Statistics row of a pair: [valid, the 14 prediction labels, the 14 reference labels, the 8
// per-sample values of clinical_sample_values()], each side's labels packed into one number (two
// bits per observation). Pairs a side of which could not be labelled (an LLM
// answer that did not parse) have valid = 0 and are left out of every corpus value. Each
// corpus key is a function of the per-observation confusion counts (closed form kSums over the
// 2 x 14 x 4 confusion indicators) except the example-based keys, which are means of their
// per-sample values (kMean).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rrg/metrics/clinical/clinical.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics {

class ClinicalScorer final : public Scorer {
 public:
  ClinicalScorer();

  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  void aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                 double* out) const override;
  void sample_values(const double* row, double* out) const override;
  KeyAggregation aggregation(std::size_t key) const override;

  // Label rows of the selected valid rows (for the per-observation table).
  static void label_rows(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                         std::vector<chexpert::LabelRow>& predictions,
                         std::vector<chexpert::LabelRow>& references);

 private:
  std::vector<KeyInfo> keys_;
  std::vector<std::string> corpus_names_;  // clinical_metric_names()
  std::vector<std::string> sample_names_;  // clinical_sample_names()
  // keys_[k] -> index into corpus_names_ / sample_names_, or npos.
  std::vector<std::size_t> corpus_index_, sample_index_;
  // clinical_metric_signatures(""), built once: sign() sets the labeler on a copy of one.
  std::vector<Signature> corpus_signatures_;
  // Every key's signature for the labeler identity and seed cleaner sign() saw last: a
  // long-lived scorer (`rrg serve`) signs its ~130 keys for every request with the same ones.
  struct SignedKeys {
    std::string labeler_identity, cleaner;
    std::vector<Signature> signatures;
  };
  mutable std::mutex signed_mutex_;
  mutable std::shared_ptr<const SignedKeys> signed_;
};

}  // namespace rrg::metrics
