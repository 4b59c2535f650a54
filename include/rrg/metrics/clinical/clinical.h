// Clinical (CheXpert-label) metrics of `rrg evaluate`: how well the 14 observations a labeler
// extracts from the generated reports agree with those it extracts from the references.
//
// Input: two equally long vectors of LabelRow (prediction i pairs with reference i), labelled by
// the same labeler. Output (ClinicalResult):
//   - the original toolkit's per-observation table under U-zeros (AUC, F1, recall, specificity,
//     N_pos, N_neg; N/A observations left out of its macro averages);
//   - the micro/macro/weighted precision/recall/F1 that papers report, over all 14 observations
//     and over the 5 competition observations, under U-zeros and U-ones, plus example-based
//     (per-report) precision/recall/F1;
//   - per-sample values (agreement counts and example-based scores).
// Every number equals scikit-learn 1.2 (see binary_classification.h) and is listed, with the
// sklearn call it equals, in docs/metrics-clinical.md. Pure functions, no state.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/chexpert/observations.h"
#include "rrg/metrics/clinical/binary_classification.h"
#include "rrg/metrics/signature.h"

namespace rrg::metrics {

// How a 4-valued CheXpert label becomes binary. 1 is always positive; 0 and blank are always
// negative (No Finding is only ever 1 or blank). Irvin et al., "CheXpert", AAAI 2019, §4.
enum class UncertainPolicy {
  kZeros,  // U-zeros: uncertain (-1) counts as negative
  kOnes,   // U-ones: uncertain (-1) counts as positive
};

inline constexpr std::array<UncertainPolicy, 2> kUncertainPolicies = {UncertainPolicy::kZeros,
                                                                      UncertainPolicy::kOnes};

// "uzeros" / "uones": the suffix of metric keys.
std::string_view policy_key(UncertainPolicy policy);
// "zeros" / "ones": the `unc:` field of signatures.
std::string_view policy_signature_value(UncertainPolicy policy);

using BinaryRow = std::array<std::uint8_t, chexpert::kNumObservations>;

// True when `label` counts as positive under `policy`.
inline bool is_positive(chexpert::Label label, UncertainPolicy policy) {
  return label == chexpert::Label::kPositive ||
         (label == chexpert::Label::kUncertain && policy == UncertainPolicy::kOnes);
}

// The 0/1 row of the multilabel indicator matrix sklearn receives.
BinaryRow binarize(const chexpert::LabelRow& row, UncertainPolicy policy);

// The 5 observations of the CheXpert competition (Irvin et al. 2019, §5): Cardiomegaly, Edema,
// Consolidation, Atelectasis, Pleural Effusion, as indices in CheXpert column order.
inline constexpr std::array<std::size_t, 5> kChexpert5 = {1, 4, 5, 7, 9};

struct ClinicalOptions {
  // Identity of the labeler that labelled both sides, e.g. "rules@3f2a9c1d" (Labeler::identity()).
  // Written as `labeler:` into every signature; empty leaves the field out.
  std::string labeler_identity;
};

// One row of the original toolkit's table: one observation, U-zeros, predictions vs references.
struct ObservationRow {
  std::size_t observation = 0;  // index into chexpert::kObservationNames
  ConfusionCounts counts;       // U-zeros confusion of predictions against references
  std::optional<double> auc;    // roc_auc_score(y_true, y_pred); nullopt = N/A (one class only)
  double f1 = 0.0;              // f1_score(y_true, y_pred)            (ill-defined -> 0.0)
  double recall = 0.0;          // recall_score(y_true, y_pred)        (no positives -> 0.0)
  double specificity = 0.0;     // TN / (TN + FP)                       (no negatives -> 0.0)
  std::size_t n_pos = 0;        // references labelled 1
  std::size_t n_neg = 0;        // references labelled 0, -1 or blank

  std::string_view name() const { return chexpert::kObservationNames[observation]; }
  // False (N/A) when the references hold one class only: AUC is undefined and the row is left
  // out of every macro average of the table.
  bool valid() const { return n_pos > 0 && n_neg > 0; }
};

struct ClinicalTable {
  std::array<ObservationRow, chexpert::kNumObservations> rows;
  std::size_t n_valid = 0;  // rows with valid() == true
  // np.mean over the valid rows; nullopt (N/A) when no row is valid.
  std::optional<double> macro_auc;
  std::optional<double> macro_f1;
  std::optional<double> macro_recall;
  std::optional<double> macro_specificity;
};

// One corpus-level key of the flat metrics map.
struct ClinicalMetric {
  std::string name;             // e.g. "chexpert_micro_f1_14_uzeros"
  std::optional<double> value;  // nullopt = N/A (write JSON null, print "N/A")
  Signature signature;          // e.g. F1-14|labeler:rules@3f2a9c1d|avg:micro|unc:zeros|version:..
};

// Per-sample values (one per prediction/reference pair).
struct ClinicalSample {
  int n_agree = 0;     // observations whose raw 4-way labels are equal (blank == blank agrees)
  int n_disagree = 0;  // 14 - n_agree
  // This report's precision/recall/F1 over the 14 observations; their means are the corpus
  // keys chexpert_example_{precision,recall,f1}_{uzeros,uones}.
  PrecisionRecallF1 example_uzeros;
  PrecisionRecallF1 example_uones;
};

struct ClinicalResult {
  ClinicalTable table;
  std::vector<ClinicalMetric> corpus;   // every key of clinical_metric_names(), in that order
  std::vector<ClinicalSample> samples;  // samples[i] belongs to predictions[i]/references[i]

  // The metric called `name`, or nullptr.
  const ClinicalMetric* find(std::string_view name) const;
};

// Per-observation confusion counts of predictions against references under both policies:
// counts[policy index in kUncertainPolicies][observation]. Every corpus key but the
// example-based ones is a function of these counts.
using ClinicalCounts =
    std::array<std::array<ConfusionCounts, chexpert::kNumObservations>, kUncertainPolicies.size()>;

// Adds one prediction/reference pair to `counts`.
void add_clinical_pair(const chexpert::LabelRow& prediction, const chexpert::LabelRow& reference,
                       ClinicalCounts& counts);

// The original toolkit's per-observation table of `counts` (U-zeros).
ClinicalTable build_clinical_table(const ClinicalCounts& counts);

// How corpus key `name` (one of clinical_metric_names()) follows from the confusion counts,
// exactly as compute_clinical_metrics() computes it; an empty function for the example-based
// keys, which are np.means of per-sample values. Throws std::invalid_argument for another name.
std::function<std::optional<double>(const ClinicalCounts&)> clinical_key_function(
    std::string_view name);

// The confusion counts key `name` reads (counts[policy][k] for k in observations); empty for
// the example-based keys. Throws std::invalid_argument for an unknown name.
struct ClinicalKeyInputs {
  std::size_t policy = 0;
  std::vector<std::size_t> observations;
};
ClinicalKeyInputs clinical_key_inputs(std::string_view name);

// Computes every clinical metric. Throws rrg::InputError when the vectors differ in length or a
// row holds a value outside the Label enum. Zero samples are valid: every AUC is N/A, every
// other score 0.0, no per-sample values (docs/metrics-clinical.md, "Empty input").
ClinicalResult compute_clinical_metrics(const std::vector<chexpert::LabelRow>& predictions,
                                        const std::vector<chexpert::LabelRow>& references,
                                        const ClinicalOptions& options);

// The value of every corpus key, in clinical_metric_names() order (what
// compute_clinical_metrics() computes, without the table and signatures).
std::vector<std::optional<double>> clinical_corpus_values(
    const std::vector<chexpert::LabelRow>& predictions,
    const std::vector<chexpert::LabelRow>& references);

// The same from the confusion counts and the example-based averages (the np.means of the
// per-sample precision, recall and F1 under each policy): what a resample needs, with no label
// rows.
std::vector<std::optional<double>> clinical_corpus_values_from(
    const ClinicalCounts& counts, const std::array<PrecisionRecallF1, 2>& example_means);

// The per-sample values of one pair (as ClinicalResult::samples holds them).
ClinicalSample clinical_sample(const chexpert::LabelRow& prediction,
                               const chexpert::LabelRow& reference);

// All corpus keys, in output order (131 names; does not depend on the data).
std::vector<std::string> clinical_metric_names();
// Their signatures, with `labeler:` set to `labeler_identity`.
std::vector<Signature> clinical_metric_signatures(const std::string& labeler_identity);
// The signature of key clinical_metric_names()[index] alone (a scorer signs its 131 keys one by
// one; building all of them for each would be 131 x 131).
Signature clinical_metric_signature(std::size_t index, const std::string& labeler_identity);

// Per-sample column names, in the order of clinical_sample_values():
// n_agree, n_disagree, chexpert_example_{precision,recall,f1}_uzeros, ..._uones.
std::vector<std::string> clinical_sample_names();
std::vector<double> clinical_sample_values(const ClinicalSample& sample);

// The table as aligned plain text (header, 14 rows, macro row), values with `digits` decimals
// and "N/A" for undefined AUCs / macros. For terminals and logs.
std::string format_clinical_table(const ClinicalTable& table, int digits = 4);

}  // namespace rrg::metrics
