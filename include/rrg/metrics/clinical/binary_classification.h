// Binary-classification primitives that reproduce scikit-learn 1.2 to the last bit.
//
// Everything here works on confusion counts (the sufficient statistics of one label, or of one
// sample across labels) and turns them into the numbers sklearn.metrics prints:
// precision/recall/F1 (`precision_recall_fscore_support` with every `average`), specificity and
// `roc_auc_score` on binary predictions. Divisions by zero follow sklearn 1.2's default
// `zero_division="warn"`: the ill-defined value is 0.0 (sklearn also warns; we do not).
// Averages are taken with numpy's float64 summation order (pairwise, in 8192-element blocks) so
// that even long corpora agree with `np.mean` bit for bit, not just to 1e-12.
// Stateless, no allocation beyond the returned values.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace rrg::metrics {

// Counts of one binary label (or of one sample across labels: sklearn's samplewise confusion).
struct ConfusionCounts {
  std::size_t tp = 0;  // predicted 1, true 1
  std::size_t fp = 0;  // predicted 1, true 0
  std::size_t fn = 0;  // predicted 0, true 1
  std::size_t tn = 0;  // predicted 0, true 0

  std::size_t positives() const { return tp + fn; }  // sklearn's true_sum ("support")
  std::size_t negatives() const { return fp + tn; }
  std::size_t predicted_positives() const { return tp + fp; }  // sklearn's pred_sum
  std::size_t total() const { return tp + fp + fn + tn; }

  // Adds one (prediction, truth) pair.
  void add(bool predicted, bool truth) {
    if (predicted) {
      ++(truth ? tp : fp);
    } else {
      ++(truth ? fn : tn);
    }
  }

  ConfusionCounts& operator+=(const ConfusionCounts& other) {
    tp += other.tp;
    fp += other.fp;
    fn += other.fn;
    tn += other.tn;
    return *this;
  }
};

struct PrecisionRecallF1 {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

// numerator / denominator, or 0.0 when the denominator is 0 (sklearn 1.2 `_prf_divide` with the
// default zero_division).
double divide_or_zero(double numerator, double denominator);

// sklearn 1.2's F-beta with beta = 1: 2*p*r / (p + r), 0.0 when p + r == 0. Computed from the
// rounded precision and recall exactly as sklearn 1.2 does (sklearn >= 1.3 uses
// 2tp / (2tp + fp + fn), which can differ in the last bit).
double f1_from(double precision, double recall);

// `precision_score(y_true, y_pred)` for the positive class (0.0 without predicted positives).
double precision(const ConfusionCounts& counts);
// `recall_score(y_true, y_pred)` (0.0 without true positives in y_true).
double recall(const ConfusionCounts& counts);
// `f1_score(y_true, y_pred)` (0.0 when precision and recall are both 0 or ill-defined).
double f1(const ConfusionCounts& counts);
// TN / (TN + FP) = `recall_score(y_true, y_pred, pos_label=0)` (0.0 without true negatives).
double specificity(const ConfusionCounts& counts);

// `roc_auc_score(y_true, y_pred)` where y_pred is itself binary (0/1): the trapezoid under the
// ROC curve (0,0) -> (FPR, TPR) -> (1,1), computed in sklearn's order of operations.
// std::nullopt when y_true holds only one class (or nothing): sklearn raises ValueError
// ("Only one class present in y_true. ROC AUC score is not defined in that case.").
std::optional<double> binary_prediction_auc(const ConfusionCounts& counts);

// Which `average=` of `precision_recall_fscore_support` to reproduce over labels.
enum class LabelAverage {
  kMicro,     // pool the counts of every label, then divide
  kMacro,     // unweighted mean of the per-label scores (ill-defined labels count as 0.0)
  kWeighted,  // mean of the per-label scores weighted by each label's support (true positives)
};

// `precision_recall_fscore_support(Y_true, Y_pred, average=...)` on multilabel indicator
// matrices, given the confusion counts of each label (column). With no labels at all, or when
// every support is 0 for kWeighted, the result is all 0.0 (sklearn's zero_division value).
PrecisionRecallF1 average_over_labels(const std::vector<ConfusionCounts>& per_label,
                                      LabelAverage average);

// `precision_recall_fscore_support(Y_true, Y_pred, average="samples")` given the confusion
// counts of each sample (row) across labels. Zero samples give all 0.0 (sklearn raises
// ValueError "Found array with 0 sample(s)" instead).
PrecisionRecallF1 average_over_samples(const std::vector<ConfusionCounts>& per_sample);

// The per-sample values that `average="samples"` averages: precision, recall and F1 of one row.
PrecisionRecallF1 sample_scores(const ConfusionCounts& sample);

// `np.mean` (python_math.h's numpy_mean), but std::nullopt for empty input, where numpy warns and
// returns nan.
std::optional<double> numpy_mean_or_none(const std::vector<double>& values);

}  // namespace rrg::metrics
