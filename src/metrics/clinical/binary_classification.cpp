// sklearn 1.2 / numpy 1.24 equivalent binary-classification arithmetic (see
// binary_classification.h). Each function names the sklearn/numpy code path it mirrors, because
// the order of floating-point operations is what makes the results agree bit for bit.
#include "rrg/metrics/clinical/binary_classification.h"

#include <algorithm>

#include "rrg/metrics/python_math.h"

namespace rrg::metrics {
namespace {

double as_double(std::size_t value) {
  return static_cast<double>(value);
}

}  // namespace

double divide_or_zero(double numerator, double denominator) {
  return denominator == 0.0 ? 0.0 : numerator / denominator;
}

double f1_from(double precision, double recall) {
  // sklearn 1.2 precision_recall_fscore_support: denom = beta2 * precision + recall, a zero
  // denominator replaced by 1, f = (1 + beta2) * precision * recall / denom.
  double denom = 1.0 * precision + recall;
  if (denom == 0.0) denom = 1.0;
  return (1.0 + 1.0) * precision * recall / denom;
}

double precision(const ConfusionCounts& counts) {
  return divide_or_zero(as_double(counts.tp), as_double(counts.predicted_positives()));
}

double recall(const ConfusionCounts& counts) {
  return divide_or_zero(as_double(counts.tp), as_double(counts.positives()));
}

double f1(const ConfusionCounts& counts) {
  return f1_from(precision(counts), recall(counts));
}

double specificity(const ConfusionCounts& counts) {
  return divide_or_zero(as_double(counts.tn), as_double(counts.negatives()));
}

std::optional<double> binary_prediction_auc(const ConfusionCounts& counts) {
  const std::size_t pos = counts.positives();
  const std::size_t neg = counts.negatives();
  if (pos == 0 || neg == 0) return std::nullopt;
  // sklearn _binary_clf_curve on scores in {0, 1}: one threshold per distinct score, so the
  // curve is (0,0) -> (FP/N, TP/P) -> (1,1) when both scores occur and (0,0) -> (1,1) when the
  // prediction is constant. auc() then applies np.trapz: sum(dx * (y[i+1] + y[i]) / 2.0).
  const std::size_t predicted = counts.predicted_positives();
  if (predicted == 0 || predicted == counts.total()) {
    const double area = (1.0 - 0.0) * (1.0 + 0.0) / 2.0;
    return 0.0 + area;
  }
  const double fpr = as_double(counts.fp) / as_double(neg);
  const double tpr = as_double(counts.tp) / as_double(pos);
  const double terms[2] = {(fpr - 0.0) * (tpr + 0.0) / 2.0, (1.0 - fpr) * (1.0 + tpr) / 2.0};
  return numpy_sum(terms, 2);
}

PrecisionRecallF1 sample_scores(const ConfusionCounts& sample) {
  PrecisionRecallF1 out;
  out.precision = precision(sample);
  out.recall = recall(sample);
  out.f1 = f1_from(out.precision, out.recall);
  return out;
}

PrecisionRecallF1 average_over_labels(const std::vector<ConfusionCounts>& per_label,
                                      LabelAverage average) {
  PrecisionRecallF1 out;
  if (per_label.empty()) return out;
  if (average == LabelAverage::kMicro) {
    // tp_sum, pred_sum and true_sum are summed over labels before dividing.
    ConfusionCounts pooled;
    for (const auto& counts : per_label) pooled += counts;
    return sample_scores(pooled);
  }
  const std::size_t n = per_label.size();
  std::vector<double> p(n), r(n), f(n);
  for (std::size_t k = 0; k < n; ++k) {
    const PrecisionRecallF1 scores = sample_scores(per_label[k]);
    p[k] = scores.precision;
    r[k] = scores.recall;
    f[k] = scores.f1;
  }
  if (average == LabelAverage::kMacro) {
    out.precision = *numpy_mean_or_none(p);
    out.recall = *numpy_mean_or_none(r);
    out.f1 = *numpy_mean_or_none(f);
    return out;
  }
  // kWeighted: np.average(x, weights=true_sum) = sum(x * w) / sum(w) in float64. sklearn returns
  // the zero_division value (0.0) for all three when every support is 0.
  std::vector<double> w(n);
  for (std::size_t k = 0; k < n; ++k) w[k] = as_double(per_label[k].positives());
  const double weight_sum = numpy_sum(w.data(), w.size());
  if (weight_sum == 0.0) return out;
  auto weighted = [&](const std::vector<double>& x) {
    std::vector<double> products(n);
    for (std::size_t k = 0; k < n; ++k) products[k] = x[k] * w[k];
    return numpy_sum(products.data(), products.size()) / weight_sum;
  };
  out.precision = weighted(p);
  out.recall = weighted(r);
  out.f1 = weighted(f);
  return out;
}

PrecisionRecallF1 average_over_samples(const std::vector<ConfusionCounts>& per_sample) {
  PrecisionRecallF1 out;
  if (per_sample.empty()) return out;
  const std::size_t n = per_sample.size();
  std::vector<double> p(n), r(n), f(n);
  for (std::size_t i = 0; i < n; ++i) {
    const PrecisionRecallF1 scores = sample_scores(per_sample[i]);
    p[i] = scores.precision;
    r[i] = scores.recall;
    f[i] = scores.f1;
  }
  out.precision = *numpy_mean_or_none(p);
  out.recall = *numpy_mean_or_none(r);
  out.f1 = *numpy_mean_or_none(f);
  return out;
}

std::optional<double> numpy_mean_or_none(const std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  return numpy_mean(values);
}

}  // namespace rrg::metrics
