// Clinical metrics from label rows (see clinical.h). Two passes: per-sample sufficient statistics
// (binary rows and confusion counts under both uncertainty policies), then aggregation into the
// table, the sklearn averages and the flat key list. Key names are built in one place
// (append_* below) so clinical_metric_names() and the computed list cannot drift apart.
#include "rrg/metrics/clinical/clinical.h"

#include <cstdio>

#include "rrg/chexpert/label_io.h"
#include "rrg/core/errors.h"

namespace rrg::metrics {
namespace {

using chexpert::kNumObservations;
using chexpert::Label;
using chexpert::LabelRow;

constexpr std::size_t kNumPolicies = kUncertainPolicies.size();

struct Stat {
  const char* key;        // in metric keys: "precision"
  const char* signature;  // in signature names: "Precision"
};
constexpr Stat kPrfStats[] = {{"precision", "Precision"}, {"recall", "Recall"}, {"f1", "F1"}};

struct Average {
  LabelAverage average;
  const char* key;  // "micro"
};
constexpr Average kAverages[] = {{LabelAverage::kMicro, "micro"},
                                 {LabelAverage::kMacro, "macro"},
                                 {LabelAverage::kWeighted, "weighted"}};

double pick(const PrecisionRecallF1& scores, std::size_t stat) {
  return stat == 0 ? scores.precision : stat == 1 ? scores.recall : scores.f1;
}

// Sufficient statistics of the whole corpus.
struct Counts {
  // per_label[policy][observation]: confusion of one column.
  std::array<std::array<ConfusionCounts, kNumObservations>, kNumPolicies> per_label;
  // per_sample[policy][i]: confusion of row i across the 14 columns.
  std::array<std::vector<ConfusionCounts>, kNumPolicies> per_sample;
};

bool is_label(Label label) {
  switch (label) {
    case Label::kPositive:
    case Label::kNegative:
    case Label::kUncertain:
    case Label::kBlank:
      return true;
  }
  return false;
}

void check_row(const LabelRow& row, std::size_t sample, const char* side) {
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    if (!is_label(row[k])) {
      throw InputError("clinical metrics: " + std::string(side) + " label row " +
                       std::to_string(sample) + ", observation \"" +
                       std::string(chexpert::kObservationNames[k]) + "\": value " +
                       std::to_string(static_cast<int>(row[k])) +
                       " is not a label (expected 1, 0, -1 or blank)");
    }
  }
}

class Builder {
 public:
  Builder(const ClinicalOptions& options, std::vector<ClinicalMetric>& out)
      : labeler_(options.labeler_identity), out_(out) {}

  Signature signature(const std::string& name) const {
    Signature sig(name);
    sig.set("labeler", labeler_);
    return sig;
  }

  void add(std::string name, std::optional<double> value, Signature sig) {
    out_.push_back(ClinicalMetric{std::move(name), value, std::move(sig)});
  }

 private:
  std::string labeler_;
  std::vector<ClinicalMetric>& out_;
};

// The 36 paper keys: chexpert_<avg>_<stat>_<14|5>_<policy>.
void append_label_averages(Builder& b, const Counts* counts) {
  for (const std::size_t set_size : {std::size_t{14}, std::size_t{5}}) {
    for (std::size_t p = 0; p < kNumPolicies; ++p) {
      const UncertainPolicy policy = kUncertainPolicies[p];
      std::vector<ConfusionCounts> columns;
      if (counts != nullptr) {
        if (set_size == 14) {
          columns.assign(counts->per_label[p].begin(), counts->per_label[p].end());
        } else {
          for (const std::size_t k : kChexpert5) columns.push_back(counts->per_label[p][k]);
        }
      }
      for (const auto& avg : kAverages) {
        const PrecisionRecallF1 scores =
            counts != nullptr ? average_over_labels(columns, avg.average) : PrecisionRecallF1{};
        for (std::size_t s = 0; s < 3; ++s) {
          const std::string size = std::to_string(set_size);
          Signature sig = b.signature(std::string(kPrfStats[s].signature) + "-" + size);
          sig.set("avg", avg.key).set("unc", std::string(policy_signature_value(policy)));
          b.add("chexpert_" + std::string(avg.key) + "_" + kPrfStats[s].key + "_" + size + "_" +
                    std::string(policy_key(policy)),
                pick(scores, s), std::move(sig));
        }
      }
    }
  }
}

// The 6 example-based keys: chexpert_example_<stat>_<policy> (sklearn average="samples").
void append_example_averages(Builder& b, const Counts* counts) {
  for (std::size_t p = 0; p < kNumPolicies; ++p) {
    const UncertainPolicy policy = kUncertainPolicies[p];
    const PrecisionRecallF1 scores =
        counts != nullptr ? average_over_samples(counts->per_sample[p]) : PrecisionRecallF1{};
    for (std::size_t s = 0; s < 3; ++s) {
      Signature sig = b.signature(std::string(kPrfStats[s].signature) + "-14");
      sig.set("avg", "samples").set("unc", std::string(policy_signature_value(policy)));
      b.add("chexpert_example_" + std::string(kPrfStats[s].key) + "_" +
                std::string(policy_key(policy)),
            pick(scores, s), std::move(sig));
    }
  }
}

// The 89 table keys: 4 macro averages, n_valid, then 6 per observation.
void append_table(Builder& b, const ClinicalTable* table) {
  const std::string zeros(policy_signature_value(UncertainPolicy::kZeros));
  struct Macro {
    const char* key;
    const char* signature;
    std::optional<double> ClinicalTable::*value;
  };
  const Macro macros[] = {{"auc", "AUC", &ClinicalTable::macro_auc},
                          {"f1", "F1", &ClinicalTable::macro_f1},
                          {"recall", "Recall", &ClinicalTable::macro_recall},
                          {"specificity", "Specificity", &ClinicalTable::macro_specificity}};
  for (const auto& macro : macros) {
    Signature sig = b.signature(macro.signature);
    sig.set("obs", "valid").set("avg", "macro").set("unc", zeros);
    b.add(std::string("chexpert_table_macro_") + macro.key,
          table != nullptr ? table->*(macro.value) : std::nullopt, std::move(sig));
  }
  {
    Signature sig = b.signature("N_valid");
    sig.set("unc", zeros);
    b.add("chexpert_table_n_valid",
          table != nullptr ? std::optional<double>(static_cast<double>(table->n_valid))
                           : std::nullopt,
          std::move(sig));
  }
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    const std::string slug = chexpert::observation_slug(k);
    const std::pair<const char*, const char*> names[] = {
        {"auc", "AUC"},     {"f1", "F1"},      {"recall", "Recall"}, {"specificity", "Specificity"},
        {"n_pos", "N_pos"}, {"n_neg", "N_neg"}};
    std::array<std::optional<double>, 6> values;  // all unset when only the names are wanted
    if (table != nullptr) {
      const ObservationRow& r = table->rows[k];
      values = {r.auc,
                r.f1,
                r.recall,
                r.specificity,
                static_cast<double>(r.n_pos),
                static_cast<double>(r.n_neg)};
    }
    for (std::size_t s = 0; s < 6; ++s) {
      Signature sig = b.signature(names[s].second);
      sig.set("obs", slug).set("unc", zeros);
      b.add("chexpert_table_" + std::string(names[s].first) + "_" + slug, values[s],
            std::move(sig));
    }
  }
}

ClinicalTable build_table(const Counts& counts) {
  ClinicalTable table;
  std::vector<double> aucs, f1s, recalls, specificities;
  const std::size_t zeros = 0;  // kUncertainPolicies[0] == kZeros
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    ObservationRow& row = table.rows[k];
    row.observation = k;
    row.counts = counts.per_label[zeros][k];
    row.auc = binary_prediction_auc(row.counts);
    row.f1 = f1(row.counts);
    row.recall = recall(row.counts);
    row.specificity = specificity(row.counts);
    row.n_pos = row.counts.positives();
    row.n_neg = row.counts.negatives();
    if (!row.valid()) continue;
    ++table.n_valid;
    aucs.push_back(*row.auc);
    f1s.push_back(row.f1);
    recalls.push_back(row.recall);
    specificities.push_back(row.specificity);
  }
  table.macro_auc = numpy_mean_or_none(aucs);
  table.macro_f1 = numpy_mean_or_none(f1s);
  table.macro_recall = numpy_mean_or_none(recalls);
  table.macro_specificity = numpy_mean_or_none(specificities);
  return table;
}

}  // namespace

std::string_view policy_key(UncertainPolicy policy) {
  return policy == UncertainPolicy::kOnes ? "uones" : "uzeros";
}

std::string_view policy_signature_value(UncertainPolicy policy) {
  return policy == UncertainPolicy::kOnes ? "ones" : "zeros";
}

bool is_positive(Label label, UncertainPolicy policy) {
  return label == Label::kPositive ||
         (label == Label::kUncertain && policy == UncertainPolicy::kOnes);
}

BinaryRow binarize(const LabelRow& row, UncertainPolicy policy) {
  BinaryRow out{};
  for (std::size_t k = 0; k < kNumObservations; ++k) out[k] = is_positive(row[k], policy) ? 1 : 0;
  return out;
}

const ClinicalMetric* ClinicalResult::find(std::string_view name) const {
  for (const auto& metric : corpus) {
    if (metric.name == name) return &metric;
  }
  return nullptr;
}

ClinicalResult compute_clinical_metrics(const std::vector<LabelRow>& predictions,
                                        const std::vector<LabelRow>& references,
                                        const ClinicalOptions& options) {
  if (predictions.size() != references.size()) {
    throw InputError("clinical metrics: " + std::to_string(predictions.size()) +
                     " prediction label rows but " + std::to_string(references.size()) +
                     " reference label rows; every prediction needs exactly one reference");
  }
  const std::size_t n = predictions.size();
  ClinicalResult result;
  Counts counts;
  for (auto& per_sample : counts.per_sample) per_sample.resize(n);
  result.samples.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    check_row(predictions[i], i, "prediction");
    check_row(references[i], i, "reference");
    ClinicalSample& sample = result.samples[i];
    for (std::size_t k = 0; k < kNumObservations; ++k) {
      const Label pred = predictions[i][k];
      const Label ref = references[i][k];
      ++(pred == ref ? sample.n_agree : sample.n_disagree);
      for (std::size_t p = 0; p < kNumPolicies; ++p) {
        const bool predicted = is_positive(pred, kUncertainPolicies[p]);
        const bool truth = is_positive(ref, kUncertainPolicies[p]);
        counts.per_label[p][k].add(predicted, truth);
        counts.per_sample[p][i].add(predicted, truth);
      }
    }
    sample.example_uzeros = sample_scores(counts.per_sample[0][i]);
    sample.example_uones = sample_scores(counts.per_sample[1][i]);
  }
  result.table = build_table(counts);

  Builder builder(options, result.corpus);
  append_label_averages(builder, &counts);
  append_example_averages(builder, &counts);
  append_table(builder, &result.table);
  return result;
}

std::vector<std::string> clinical_metric_names() {
  std::vector<ClinicalMetric> metrics;
  Builder builder(ClinicalOptions{}, metrics);
  append_label_averages(builder, nullptr);
  append_example_averages(builder, nullptr);
  append_table(builder, nullptr);
  std::vector<std::string> names;
  for (auto& metric : metrics) names.push_back(std::move(metric.name));
  return names;
}

std::vector<std::string> clinical_sample_names() {
  std::vector<std::string> names{"n_agree", "n_disagree"};
  for (const UncertainPolicy policy : kUncertainPolicies) {
    for (const auto& stat : kPrfStats) {
      names.push_back("chexpert_example_" + std::string(stat.key) + "_" +
                      std::string(policy_key(policy)));
    }
  }
  return names;
}

std::vector<double> clinical_sample_values(const ClinicalSample& sample) {
  return {static_cast<double>(sample.n_agree),
          static_cast<double>(sample.n_disagree),
          sample.example_uzeros.precision,
          sample.example_uzeros.recall,
          sample.example_uzeros.f1,
          sample.example_uones.precision,
          sample.example_uones.recall,
          sample.example_uones.f1};
}

std::string format_clinical_table(const ClinicalTable& table, int digits) {
  const auto number = [digits](std::optional<double> value) {
    if (!value) return std::string("N/A");
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, *value);
    return std::string(buffer);
  };
  std::string out;
  char line[256];
  const char* header_format = "%-26s %11s %11s %11s %11s %7s %7s\n";
  std::snprintf(line, sizeof line, header_format, "Observation", "AUC", "F1", "Recall",
                "Specificity", "N_pos", "N_neg");
  out += line;
  for (const auto& row : table.rows) {
    std::snprintf(line, sizeof line, "%-26s %11s %11s %11s %11s %7zu %7zu\n",
                  std::string(row.name()).c_str(), number(row.auc).c_str(), number(row.f1).c_str(),
                  number(row.recall).c_str(), number(row.specificity).c_str(), row.n_pos,
                  row.n_neg);
    out += line;
  }
  const std::string macro_label = "Macro (" + std::to_string(table.n_valid) + " valid)";
  std::snprintf(line, sizeof line, "%-26s %11s %11s %11s %11s\n", macro_label.c_str(),
                number(table.macro_auc).c_str(), number(table.macro_f1).c_str(),
                number(table.macro_recall).c_str(), number(table.macro_specificity).c_str());
  out += line;
  return out;
}

}  // namespace rrg::metrics
