// The clinical family as a scorer (see clinical_scorer.h).
#include "rrg/metrics/clinical/clinical_scorer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "rrg/core/parallel.h"
#include "rrg/metrics/python_math.h"

namespace rrg::metrics {
namespace {

using chexpert::kNumObservations;
using chexpert::Label;
using chexpert::LabelRow;

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kNpos = static_cast<std::size_t>(-1);

// Row layout: valid, the 14 prediction labels and the 14 reference labels packed into one
// number each (two bits per observation, label + 1: -1..2 -> 0..3, 28 bits, exact in a double),
// then the per-sample values. 11 numbers instead of 37 per pair: 208 MB less at a million pairs.
constexpr std::size_t kValid = 0;
constexpr std::size_t kPrediction = 1;
constexpr std::size_t kReference = 2;
constexpr std::size_t kSampleValues = 3;
const std::size_t kSampleCount = clinical_sample_names().size();
// clinical_sample_values(): n_agree, n_disagree, then P, R, F1 under U-zeros and U-ones.
constexpr std::size_t kFirstExampleValue = 2;

double pack_labels(const LabelRow& labels) {
  std::uint32_t code = 0;
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    code |= static_cast<std::uint32_t>(static_cast<int>(labels[k]) + 1) << (2 * k);
  }
  return static_cast<double>(code);
}

Label packed_label(std::uint32_t code, std::size_t k) {
  return static_cast<Label>(static_cast<int>((code >> (2 * k)) & 3u) - 1);
}

std::uint32_t label_code(const double* row, std::size_t offset) {
  return static_cast<std::uint32_t>(row[offset]);
}

LabelRow row_labels(const double* row, std::size_t offset) {
  const std::uint32_t code = label_code(row, offset);
  LabelRow labels{};
  for (std::size_t k = 0; k < kNumObservations; ++k) labels[k] = packed_label(code, k);
  return labels;
}

std::size_t index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? kNpos : static_cast<std::size_t>(it - names.begin());
}

}  // namespace

ClinicalScorer::ClinicalScorer()
    : corpus_names_(clinical_metric_names()),
      sample_names_(clinical_sample_names()),
      corpus_signatures_(clinical_metric_signatures("")) {
  for (const auto& name : corpus_names_) {
    keys_.push_back({name, true, index_of(sample_names_, name) != kNpos});
  }
  for (const auto& name : sample_names_) {
    if (index_of(corpus_names_, name) == kNpos) keys_.push_back({name, false, true});
  }
  for (const auto& key : keys_) {
    corpus_index_.push_back(index_of(corpus_names_, key.name));
    sample_index_.push_back(index_of(sample_names_, key.name));
  }
}

std::vector<KeyInfo> ClinicalScorer::keys() const {
  return keys_;
}

void ClinicalScorer::sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const {
  const std::string& identity = inputs.labels().labeler_identity;
  const std::string cleaner = inputs.cleaner(TextConvention::kSeed);
  std::shared_ptr<const SignedKeys> known;
  {
    const std::lock_guard<std::mutex> lock(signed_mutex_);
    known = signed_;
  }
  if (!known || known->labeler_identity != identity || known->cleaner != cleaner) {
    auto keys = std::make_shared<SignedKeys>();
    keys->labeler_identity = identity;
    keys->cleaner = cleaner;
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      Signature s(keys_[k].name);
      if (corpus_index_[k] != kNpos) s = corpus_signatures_[corpus_index_[k]];
      s.set("labeler", identity);
      s.set("clean", cleaner);
      keys->signatures.push_back(std::move(s));
    }
    known = keys;
    const std::lock_guard<std::mutex> lock(signed_mutex_);
    signed_ = std::move(keys);
  }
  signature = known->signatures[key];
}

SampleStatistics ClinicalScorer::statistics(ScoringInputs& inputs) const {
  const PairLabels& labels = inputs.labels();
  const std::size_t n = labels.predictions.size();
  SampleStatistics stats(n, kSampleValues + kSampleCount);
  // Rows are independent: blocks of samples on inputs.threads() threads.
  constexpr std::size_t kBlock = 1024;
  parallel_for((n + kBlock - 1) / kBlock, inputs.threads(), [&](std::size_t block, std::size_t) {
    const std::size_t last = std::min(n, (block + 1) * kBlock);
    for (std::size_t i = block * kBlock; i < last; ++i) {
      double* row = stats.row(i);
      const bool valid = i >= labels.errors.size() || labels.errors[i].empty();
      row[kValid] = valid ? 1.0 : 0.0;
      row[kPrediction] = pack_labels(labels.predictions[i]);
      row[kReference] = pack_labels(labels.references[i]);
      if (!valid) {
        std::fill(row + kSampleValues, row + kSampleValues + kSampleCount, kNone);
        continue;
      }
      const std::vector<double> values =
          clinical_sample_values(clinical_sample(labels.predictions[i], labels.references[i]));
      std::copy(values.begin(), values.end(), row + kSampleValues);
    }
  });
  return stats;
}

void ClinicalScorer::label_rows(const SampleStatistics& stats, const std::size_t* rows,
                                std::size_t n, std::vector<LabelRow>& predictions,
                                std::vector<LabelRow>& references) {
  predictions.clear();
  references.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = stats.row(rows[i]);
    if (row[kValid] == 0.0) continue;
    predictions.push_back(row_labels(row, kPrediction));
    references.push_back(row_labels(row, kReference));
  }
}

void ClinicalScorer::aggregate(const SampleStatistics& stats, const std::size_t* rows,
                               std::size_t n, double* out) const {
  // The counts and the example-based means straight from the rows (what
  // compute_clinical_metrics() computes from the label rows, without building them).
  ClinicalCounts counts{};
  std::array<std::vector<double>, 6> examples;  // P, R, F1 under U-zeros, then U-ones
  for (auto& values : examples) values.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = stats.row(rows[i]);
    if (row[kValid] == 0.0) continue;
    const std::uint32_t predicted = label_code(row, kPrediction);
    const std::uint32_t truth = label_code(row, kReference);
    for (std::size_t k = 0; k < kNumObservations; ++k) {
      const Label prediction = packed_label(predicted, k);
      const Label reference = packed_label(truth, k);
      for (std::size_t p = 0; p < kUncertainPolicies.size(); ++p) {
        counts[p][k].add(is_positive(prediction, kUncertainPolicies[p]),
                         is_positive(reference, kUncertainPolicies[p]));
      }
    }
    for (std::size_t e = 0; e < examples.size(); ++e) {
      examples[e].push_back(row[kSampleValues + kFirstExampleValue + e]);
    }
  }
  std::array<PrecisionRecallF1, 2> means{};
  if (!examples[0].empty()) {
    for (std::size_t p = 0; p < 2; ++p) {
      means[p].precision = numpy_mean(examples[3 * p]);
      means[p].recall = numpy_mean(examples[3 * p + 1]);
      means[p].f1 = numpy_mean(examples[3 * p + 2]);
    }
  }
  const std::vector<std::optional<double>> values = clinical_corpus_values_from(counts, means);
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    out[k] = corpus_index_[k] == kNpos ? kNone : values[corpus_index_[k]].value_or(kNone);
  }
}

void ClinicalScorer::sample_values(const double* row, double* out) const {
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    out[k] = sample_index_[k] == kNpos ? kNone : row[kSampleValues + sample_index_[k]];
  }
}

KeyAggregation ClinicalScorer::aggregation(std::size_t key) const {
  KeyAggregation aggregation;
  if (corpus_index_[key] == kNpos) return aggregation;
  const auto function = clinical_key_function(corpus_names_[corpus_index_[key]]);
  if (!function) {  // example-based: the mean of the per-sample values
    aggregation.kind = KeyAggregation::Kind::kMean;
    aggregation.column = kSampleValues + sample_index_[key];
    return aggregation;
  }
  // The pairs counted (column 0), then TP, FP, FN of each observation the key reads under its
  // policy; TN = pairs - TP - FP - FN.
  const ClinicalKeyInputs inputs = clinical_key_inputs(corpus_names_[corpus_index_[key]]);
  aggregation.kind = KeyAggregation::Kind::kSums;
  aggregation.width = 1 + 3 * inputs.observations.size();
  aggregation.project = [inputs](const double* row, double* out) {
    std::fill(out, out + 1 + 3 * inputs.observations.size(), 0.0);
    if (row[kValid] == 0.0) return;
    out[0] = 1.0;
    const UncertainPolicy policy = kUncertainPolicies[inputs.policy];
    const std::uint32_t predicted_code = label_code(row, kPrediction);
    const std::uint32_t truth_code = label_code(row, kReference);
    for (std::size_t j = 0; j < inputs.observations.size(); ++j) {
      const std::size_t k = inputs.observations[j];
      const bool predicted = is_positive(packed_label(predicted_code, k), policy);
      const bool truth = is_positive(packed_label(truth_code, k), policy);
      if (predicted || truth) out[1 + 3 * j + (predicted ? (truth ? 0 : 1) : 2)] = 1.0;
    }
  };
  aggregation.finish = [inputs, function](const double* sums, std::size_t) {
    ClinicalCounts counts{};
    const auto pairs = static_cast<std::size_t>(sums[0]);
    for (std::size_t j = 0; j < inputs.observations.size(); ++j) {
      ConfusionCounts& c = counts[inputs.policy][inputs.observations[j]];
      c.tp = static_cast<std::size_t>(sums[1 + 3 * j]);
      c.fp = static_cast<std::size_t>(sums[2 + 3 * j]);
      c.fn = static_cast<std::size_t>(sums[3 + 3 * j]);
      c.tn = pairs - c.tp - c.fp - c.fn;
    }
    return function(counts).value_or(kNone);
  };
  return aggregation;
}

}  // namespace rrg::metrics
