// Clinical metrics from label rows (see clinical.h). Two passes: per-sample sufficient statistics
// (confusion counts under both uncertainty policies), then aggregation into the table, the
// sklearn averages and the flat key list. Every key is described once (key_specs() below: name,
// signature, and its value as a function of the counts), so clinical_metric_names(), the
// computed list and the per-key functions of resampling cannot drift apart.
#include "rrg/metrics/clinical/clinical.h"

#include <cstdio>
#include <functional>

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

using KeyFunction =
    std::function<std::optional<double>(const ClinicalCounts&, const ClinicalTable&)>;

// Every corpus key: its name, its signature (the labeler left empty) and how its value follows
// from the per-observation confusion counts and their table. Example-based keys have no such
// function: they are means of per-sample values (example_stat and example_policy say which).
struct KeySpec {
  std::string name;
  Signature signature;
  KeyFunction value;
  bool needs_table = false;  // value() reads the table (else only the counts)
  int example_stat = -1;     // 0 precision, 1 recall, 2 f1
  std::size_t example_policy = 0;
  // The counts value() reads: counts[policy][k] for k in observations.
  std::size_t policy = 0;
  std::vector<std::size_t> observations;
};

KeySpec make_spec(std::string name, Signature signature, KeyFunction value) {
  KeySpec spec;
  spec.name = std::move(name);
  spec.signature = std::move(signature);
  spec.value = std::move(value);
  return spec;
}

std::vector<std::size_t> all_observations() {
  std::vector<std::size_t> out(kNumObservations);
  for (std::size_t k = 0; k < kNumObservations; ++k) out[k] = k;
  return out;
}

Signature base_signature(const std::string& name) {
  Signature sig(name);
  sig.set("labeler", "");
  return sig;
}

// The 36 paper keys: chexpert_<avg>_<stat>_<14|5>_<policy>.
void append_label_averages(std::vector<KeySpec>& specs) {
  for (const std::size_t set_size : {std::size_t{14}, std::size_t{5}}) {
    for (std::size_t p = 0; p < kNumPolicies; ++p) {
      const UncertainPolicy policy = kUncertainPolicies[p];
      for (const auto& avg : kAverages) {
        for (std::size_t s = 0; s < 3; ++s) {
          const std::string size = std::to_string(set_size);
          Signature sig = base_signature(std::string(kPrfStats[s].signature) + "-" + size);
          sig.set("avg", avg.key).set("unc", std::string(policy_signature_value(policy)));
          const LabelAverage average = avg.average;
          KeyFunction value = [set_size, p, average, s](const ClinicalCounts& counts,
                                                        const ClinicalTable&) {
            std::vector<ConfusionCounts> columns;
            if (set_size == 14) {
              columns.assign(counts[p].begin(), counts[p].end());
            } else {
              for (const std::size_t k : kChexpert5) columns.push_back(counts[p][k]);
            }
            return std::optional<double>(pick(average_over_labels(columns, average), s));
          };
          KeySpec spec = make_spec("chexpert_" + std::string(avg.key) + "_" + kPrfStats[s].key +
                                       "_" + size + "_" + std::string(policy_key(policy)),
                                   std::move(sig), std::move(value));
          spec.policy = p;
          spec.observations = set_size == 14
                                  ? all_observations()
                                  : std::vector<std::size_t>(kChexpert5.begin(), kChexpert5.end());
          specs.push_back(std::move(spec));
        }
      }
    }
  }
}

// The 6 example-based keys: chexpert_example_<stat>_<policy> (sklearn average="samples").
void append_example_averages(std::vector<KeySpec>& specs) {
  for (std::size_t p = 0; p < kNumPolicies; ++p) {
    const UncertainPolicy policy = kUncertainPolicies[p];
    for (std::size_t s = 0; s < 3; ++s) {
      Signature sig = base_signature(std::string(kPrfStats[s].signature) + "-14");
      sig.set("avg", "samples").set("unc", std::string(policy_signature_value(policy)));
      KeySpec spec = make_spec("chexpert_example_" + std::string(kPrfStats[s].key) + "_" +
                                   std::string(policy_key(policy)),
                               std::move(sig), nullptr);
      spec.example_stat = static_cast<int>(s);
      spec.example_policy = p;
      specs.push_back(std::move(spec));
    }
  }
}

// The 89 table keys: 4 macro averages, n_valid, then 6 per observation.
void append_table(std::vector<KeySpec>& specs) {
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
    Signature sig = base_signature(macro.signature);
    sig.set("obs", "valid").set("avg", "macro").set("unc", zeros);
    const auto member = macro.value;
    KeySpec spec = make_spec(
        std::string("chexpert_table_macro_") + macro.key, std::move(sig),
        [member](const ClinicalCounts&, const ClinicalTable& table) { return table.*member; });
    spec.needs_table = true;
    spec.observations = all_observations();
    specs.push_back(std::move(spec));
  }
  {
    Signature sig = base_signature("N_valid");
    sig.set("unc", zeros);
    KeySpec spec = make_spec("chexpert_table_n_valid", std::move(sig),
                             [](const ClinicalCounts&, const ClinicalTable& table) {
                               return std::optional<double>(static_cast<double>(table.n_valid));
                             });
    spec.needs_table = true;
    spec.observations = all_observations();
    specs.push_back(std::move(spec));
  }
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    const std::string slug = chexpert::observation_slug(k);
    const std::pair<const char*, const char*> names[] = {
        {"auc", "AUC"},     {"f1", "F1"},      {"recall", "Recall"}, {"specificity", "Specificity"},
        {"n_pos", "N_pos"}, {"n_neg", "N_neg"}};
    for (std::size_t s = 0; s < 6; ++s) {
      Signature sig = base_signature(names[s].second);
      sig.set("obs", slug).set("unc", zeros);
      // A row of the table needs only its observation's U-zeros counts (as build_clinical_table).
      KeyFunction value = [k, s](const ClinicalCounts& counts,
                                 const ClinicalTable&) -> std::optional<double> {
        const ConfusionCounts& c = counts[0][k];
        switch (s) {
          case 0:
            return binary_prediction_auc(c);
          case 1:
            return f1(c);
          case 2:
            return recall(c);
          case 3:
            return specificity(c);
          case 4:
            return static_cast<double>(c.positives());
          default:
            return static_cast<double>(c.negatives());
        }
      };
      KeySpec spec = make_spec("chexpert_table_" + std::string(names[s].first) + "_" + slug,
                               std::move(sig), std::move(value));
      spec.observations = {k};
      specs.push_back(std::move(spec));
    }
  }
}

const std::vector<KeySpec>& key_specs() {
  static const std::vector<KeySpec> specs = [] {
    std::vector<KeySpec> out;
    append_label_averages(out);
    append_example_averages(out);
    append_table(out);
    return out;
  }();
  return specs;
}

const KeySpec& find_spec(std::string_view name) {
  for (const auto& spec : key_specs()) {
    if (spec.name == name) return spec;
  }
  throw std::invalid_argument("unknown clinical metric '" + std::string(name) + "'");
}

}  // namespace

ClinicalTable build_clinical_table(const ClinicalCounts& counts) {
  ClinicalTable table;
  std::vector<double> aucs, f1s, recalls, specificities;
  const std::size_t zeros = 0;  // kUncertainPolicies[0] == kZeros
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    ObservationRow& row = table.rows[k];
    row.observation = k;
    row.counts = counts[zeros][k];
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

void add_clinical_pair(const LabelRow& prediction, const LabelRow& reference,
                       ClinicalCounts& counts) {
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    for (std::size_t p = 0; p < kNumPolicies; ++p) {
      counts[p][k].add(is_positive(prediction[k], kUncertainPolicies[p]),
                       is_positive(reference[k], kUncertainPolicies[p]));
    }
  }
}

std::string_view policy_key(UncertainPolicy policy) {
  return policy == UncertainPolicy::kOnes ? "uones" : "uzeros";
}

std::string_view policy_signature_value(UncertainPolicy policy) {
  return policy == UncertainPolicy::kOnes ? "ones" : "zeros";
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

namespace {

// What every entry point computes: the counts, the per-sample values, the table and the value
// of every corpus key (in key_specs() order).
struct Computed {
  std::vector<ClinicalSample> samples;
  ClinicalTable table;
  std::vector<std::optional<double>> values;
};

// The value of every corpus key from the counts, the example-based averages and the table.
std::vector<std::optional<double>> values_from(
    const ClinicalCounts& counts, const std::array<PrecisionRecallF1, kNumPolicies>& examples,
    const ClinicalTable& table) {
  std::vector<std::optional<double>> values;
  for (const KeySpec& spec : key_specs()) {
    values.push_back(
        spec.value ? spec.value(counts, table)
                   : std::optional<double>(pick(examples[spec.example_policy],
                                                static_cast<std::size_t>(spec.example_stat))));
  }
  return values;
}

Computed compute(const std::vector<LabelRow>& predictions,
                 const std::vector<LabelRow>& references) {
  if (predictions.size() != references.size()) {
    throw InputError("clinical metrics: " + std::to_string(predictions.size()) +
                     " prediction label rows but " + std::to_string(references.size()) +
                     " reference label rows; every prediction needs exactly one reference");
  }
  const std::size_t n = predictions.size();
  Computed out;
  ClinicalCounts counts{};
  // per_sample[policy][i]: confusion of row i across the 14 columns (example-based keys).
  std::array<std::vector<ConfusionCounts>, kNumPolicies> per_sample;
  for (auto& rows : per_sample) rows.resize(n);
  out.samples.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    check_row(predictions[i], i, "prediction");
    check_row(references[i], i, "reference");
    ClinicalSample& sample = out.samples[i];
    for (std::size_t k = 0; k < kNumObservations; ++k) {
      const Label pred = predictions[i][k];
      const Label ref = references[i][k];
      ++(pred == ref ? sample.n_agree : sample.n_disagree);
      for (std::size_t p = 0; p < kNumPolicies; ++p) {
        const bool predicted = is_positive(pred, kUncertainPolicies[p]);
        const bool truth = is_positive(ref, kUncertainPolicies[p]);
        counts[p][k].add(predicted, truth);
        per_sample[p][i].add(predicted, truth);
      }
    }
    sample.example_uzeros = sample_scores(per_sample[0][i]);
    sample.example_uones = sample_scores(per_sample[1][i]);
  }
  out.table = build_clinical_table(counts);
  std::array<PrecisionRecallF1, kNumPolicies> examples{};
  if (n > 0) {
    for (std::size_t p = 0; p < kNumPolicies; ++p)
      examples[p] = average_over_samples(per_sample[p]);
  }
  out.values = values_from(counts, examples, out.table);
  return out;
}

}  // namespace

ClinicalResult compute_clinical_metrics(const std::vector<LabelRow>& predictions,
                                        const std::vector<LabelRow>& references,
                                        const ClinicalOptions& options) {
  Computed computed = compute(predictions, references);
  ClinicalResult result;
  result.samples = std::move(computed.samples);
  result.table = computed.table;
  const auto& specs = key_specs();
  for (std::size_t k = 0; k < specs.size(); ++k) {
    result.corpus.push_back({specs[k].name, computed.values[k], specs[k].signature});
    result.corpus.back().signature.set("labeler", options.labeler_identity);
  }
  return result;
}

std::vector<std::optional<double>> clinical_corpus_values(const std::vector<LabelRow>& predictions,
                                                          const std::vector<LabelRow>& references) {
  return compute(predictions, references).values;
}

std::vector<std::optional<double>> clinical_corpus_values_from(
    const ClinicalCounts& counts, const std::array<PrecisionRecallF1, 2>& example_means) {
  return values_from(counts, example_means, build_clinical_table(counts));
}

ClinicalSample clinical_sample(const LabelRow& prediction, const LabelRow& reference) {
  ClinicalSample sample;
  std::array<ConfusionCounts, kNumPolicies> confusion{};
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    ++(prediction[k] == reference[k] ? sample.n_agree : sample.n_disagree);
    for (std::size_t p = 0; p < kNumPolicies; ++p) {
      confusion[p].add(is_positive(prediction[k], kUncertainPolicies[p]),
                       is_positive(reference[k], kUncertainPolicies[p]));
    }
  }
  sample.example_uzeros = sample_scores(confusion[0]);
  sample.example_uones = sample_scores(confusion[1]);
  return sample;
}

std::vector<std::string> clinical_metric_names() {
  std::vector<std::string> names;
  for (const auto& spec : key_specs()) names.push_back(spec.name);
  return names;
}

std::vector<Signature> clinical_metric_signatures(const std::string& labeler_identity) {
  std::vector<Signature> out;
  for (const auto& spec : key_specs()) {
    out.push_back(spec.signature);
    out.back().set("labeler", labeler_identity);
  }
  return out;
}

Signature clinical_metric_signature(std::size_t index, const std::string& labeler_identity) {
  Signature out = key_specs().at(index).signature;
  out.set("labeler", labeler_identity);
  return out;
}

ClinicalKeyInputs clinical_key_inputs(std::string_view name) {
  const KeySpec& spec = find_spec(name);
  return {spec.policy, spec.observations};
}

std::function<std::optional<double>(const ClinicalCounts&)> clinical_key_function(
    std::string_view name) {
  const KeySpec& spec = find_spec(name);
  if (!spec.value) return nullptr;
  if (!spec.needs_table) {
    const KeyFunction value = spec.value;
    return [value](const ClinicalCounts& counts) { return value(counts, ClinicalTable{}); };
  }
  const KeyFunction value = spec.value;
  return
      [value](const ClinicalCounts& counts) { return value(counts, build_clinical_table(counts)); };
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
