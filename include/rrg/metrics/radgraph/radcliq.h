// RadCliQ-v1 (Yu et al., "Evaluating progress in automatic chest X-ray radiology report
// generation", Patterns 2023; rajpurkarlab/CXR-Report-Metric): a linear model over four
// per-pair metrics, each standardised first,
//   RadCliQ-v1 = sum_k coef_k * (x_k - mean_k) / scale_k + intercept,
// with x = (radgraph_combined, bertscore, semb_score, bleu_score) in that order:
//   radgraph_combined — RadGraph_radcliq (rewards.h radcliq_f1().combined, original RadGraph);
//   bertscore        — BERTScore F1, distilroberta-base, layer 5, idf from the references,
//                       rescaled with bert_score's baseline;
//   semb_score       — cosine of CheXbert's [CLS] embeddings (0 when a norm is 0: RadEval);
//   bleu_score       — BLEU-2 of the pair (RadEval: pycocoevalcap's per-sample Bleu(n=2)).
// Lower per-pair values are better (the model predicts radiologists' error counts); RadEval
// reports the corpus value as 1 / mean (higher = better).
//
// The standardisation and the coefficients are data (radcliq_models.cpp names each origin):
// the numbers RadEval writes in its source (8 significant digits) and the full-precision ones
// of CXR-Report-Metric's radcliq-v1.pkl; they differ by up to ~3e-8 per pair (features in
// [0, 1]), so the choice is part of the signature (coefs:radeval / coefs:cxr-report-metric).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "rrg/metrics/scorer.h"

namespace rrg::metrics::radgraph {

constexpr std::size_t kRadCliqFeatures = 4;

struct RadCliqV1Model {
  const char* name;    // for the signature: "radeval", "cxr-report-metric"
  const char* origin;  // where the numbers were read
  double mean[kRadCliqFeatures];
  double scale[kRadCliqFeatures];
  double coefficient[kRadCliqFeatures];
  double intercept;
};

// RadEval radeval/metrics/RadCliQv1/radcliq.py CompositeMetric (the default: rrg's numbers are
// compared with RadEval's).
const RadCliqV1Model& radcliq_v1_radeval_model();
// rajpurkarlab/CXR-Report-Metric CXRMetric/radcliq-v1.pkl, unpickled.
const RadCliqV1Model& radcliq_v1_published_model();
// "radeval" or "cxr-report-metric"; nullptr for another name.
const RadCliqV1Model* radcliq_v1_model(const std::string& name);

struct RadCliqComponents {
  double radgraph = 0.0;   // radgraph_combined
  double bertscore = 0.0;  // BERTScore F1 (RadCliQ settings)
  double semb = 0.0;       // CheXbert cosine
  double bleu2 = 0.0;      // BLEU-2
};

// One pair's RadCliQ-v1: the standardised features times the coefficients, plus the intercept,
// added in feature order (numpy's `Xn @ coefs` for a row; BLAS may add the five products in
// another order, a difference of a few ulps).
double radcliq_v1(const RadCliqComponents& components, const RadCliqV1Model& model);

// RadEval's corpus value: 1 / np.mean(per-pair values) (NaN for no pair).
double radcliq_v1_corpus(const std::vector<double>& per_pair);

constexpr const char* kRadCliqV1Name = "RadCliQ-v1";

// One component: a scorer and the index of the key whose per-sample value is the feature.
struct RadCliqComponentScorer {
  std::shared_ptr<const Scorer> scorer;
  std::size_t key = 0;
};

struct RadCliqV1Options {
  RadCliqComponentScorer radgraph;        // RadGraphMetric's RadGraph_radcliq (original checkpoint)
  RadCliqComponentScorer bertscore;       // BertScoreMetric's F1, distilroberta-base/5/idf/rescaled
  RadCliqComponentScorer semb;            // ChexbertSimilarityScorer
  RadCliqComponentScorer bleu2;           // CocoBleuScorer's Bleu_2
  const RadCliqV1Model* model = nullptr;  // nullptr = radcliq_v1_radeval_model()
};

// RadCliQ-v1 as a scorer: statistics() runs the four component scorers on the same inputs and
// keeps, per sample, the four features and the composite (row: radgraph, bertscore, semb, bleu2,
// RadCliQ-v1). Key "RadCliQ-v1": per sample the composite, corpus 1 / mean. Its signature lists
// every component's signature.
class RadCliqV1Metric final : public Scorer {
 public:
  // std::invalid_argument for a missing component or a key it does not have.
  explicit RadCliqV1Metric(RadCliqV1Options options);

  std::vector<KeyInfo> keys() const override;
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  void aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                 double* out) const override;
  void sample_values(const double* row, double* out) const override;
  KeyAggregation aggregation(std::size_t key) const override;
  // The RadGraph component's extraction: the long part of a run without cached graphs.
  Job* job() const override;
  // Every component's preload().
  void preload() const override;

 private:
  RadCliqV1Options options_;
};

}  // namespace rrg::metrics::radgraph
