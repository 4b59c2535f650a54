// The evaluation pipeline (see evaluate.h): metric selection, per-family preprocessing, lexical
// scoring and, with a labeler, the clinical family.
#include "rrg/pipelines/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "rrg/core/errors.h"
#include "rrg/labelers/label_texts.h"
#include "rrg/text/clean.h"
#include "rrg/text/python_str.h"
#include "rrg/text/suggest.h"

namespace rrg::pipelines {
namespace {

constexpr double kNotAvailable = std::numeric_limits<double>::quiet_NaN();

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Names accepted by --metrics besides metric keys and scorer ids.
const std::vector<std::string>& group_names() {
  static const std::vector<std::string> names = {"all", "lexical", "coco", "seed", "clinical"};
  return names;
}

bool is_group(const std::string& name) {
  return std::find(group_names().begin(), group_names().end(), name) != group_names().end();
}

bool scorer_in_group(const metrics::ScorerInfo& info, const std::string& group) {
  return group == "all" || group == "lexical" || info.family == group;
}

// Every clinical key, corpus keys first, then the per-sample-only ones.
std::vector<std::string> all_clinical_names() {
  std::vector<std::string> names = metrics::clinical_metric_names();
  for (const auto& name : metrics::clinical_sample_names()) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

// Applies a named cleaner to every text.
std::vector<std::string> cleaned(const std::vector<std::string>& texts,
                                 const std::string& cleaner) {
  const text::CleanFunction clean = text::find_cleaner(cleaner).clean;
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(clean(t));
  return out;
}

// Labels predictions and first references (each distinct text once) and computes the clinical
// family. Ids where either side could not be labelled are left out and reported.
// Both sides pass the same cleaner as the seed family first, so an LLM's <think> block or
// markdown cannot produce findings.
void add_clinical(const io::PairedReports& reports, labelers::Labeler& labeler,
                  const std::string& cleaner, const std::set<std::string>& keep,
                  EvaluationResult& result) {
  const std::size_t n = reports.ids.size();
  const text::CleanFunction clean = text::find_cleaner(cleaner).clean;
  std::vector<std::string> texts;
  texts.reserve(2 * n);
  for (const auto& p : reports.predictions) texts.push_back(clean(p));
  for (const auto& refs : reports.references) texts.push_back(clean(refs.front()));

  auto start = std::chrono::steady_clock::now();
  const labelers::DistinctLabels labelled = labelers::label_distinct(labeler, texts);
  result.timings_seconds.emplace_back("label:" + labeler.name(), seconds_since(start));

  start = std::chrono::steady_clock::now();
  ClinicalDetails details;
  details.labeler_identity = labeler.identity();
  details.n_distinct_texts = labelled.n_distinct;
  details.errors.resize(n);
  std::vector<labelers::LabelRow> included_pred, included_ref;
  std::vector<std::size_t> included;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& pred = labelled.results[i];
    const auto& ref = labelled.results[n + i];
    details.predictions.push_back(pred.labels);
    details.references.push_back(ref.labels);
    if (!pred.error.empty()) details.errors[i] = "prediction: " + pred.error;
    if (!ref.error.empty()) {
      details.errors[i] += (details.errors[i].empty() ? "" : "; ") + ("reference: " + ref.error);
    }
    if (details.errors[i].empty()) {
      included.push_back(i);
      included_pred.push_back(pred.labels);
      included_ref.push_back(ref.labels);
    } else {
      ++details.n_excluded;
    }
  }

  metrics::ClinicalOptions options;
  options.labeler_identity = details.labeler_identity;
  const metrics::ClinicalResult clinical =
      metrics::compute_clinical_metrics(included_pred, included_ref, options);
  details.table = clinical.table;

  // Per-sample values (NaN for excluded ids), by sample-column name.
  const std::vector<std::string> sample_names = metrics::clinical_sample_names();
  std::vector<std::vector<double>> sample_values(sample_names.size(),
                                                 std::vector<double>(n, kNotAvailable));
  for (std::size_t k = 0; k < included.size(); ++k) {
    const std::vector<double> values = metrics::clinical_sample_values(clinical.samples[k]);
    for (std::size_t c = 0; c < values.size(); ++c) sample_values[c][included[k]] = values[c];
  }
  const auto sample_column = [&](const std::string& name) -> const std::vector<double>* {
    for (std::size_t c = 0; c < sample_names.size(); ++c) {
      if (sample_names[c] == name) return &sample_values[c];
    }
    return nullptr;
  };

  for (const auto& metric : clinical.corpus) {
    if (keep.count(metric.name) == 0) continue;
    MetricColumn column;
    column.name = metric.name;
    column.family = "clinical";
    column.corpus = metric.value.value_or(kNotAvailable);
    if (const auto* values = sample_column(metric.name)) column.per_sample = *values;
    column.signature = metric.signature;
    column.signature.set("clean", cleaner);
    result.metrics.push_back(std::move(column));
  }
  for (std::size_t c = 0; c < sample_names.size(); ++c) {
    if (keep.count(sample_names[c]) == 0 || clinical.find(sample_names[c]) != nullptr) continue;
    MetricColumn column;
    column.name = sample_names[c];
    column.family = "clinical";
    column.has_corpus = false;
    column.corpus = kNotAvailable;
    column.per_sample = sample_values[c];
    column.signature = metrics::Signature(sample_names[c]);
    column.signature.set("labeler", details.labeler_identity);
    column.signature.set("clean", cleaner);
    result.metrics.push_back(std::move(column));
  }
  result.clinical = std::move(details);
  result.timings_seconds.emplace_back("score:clinical", seconds_since(start));
}

}  // namespace

MetricSelection select_metrics(const std::vector<std::string>& requested, bool have_labeler) {
  const auto& infos = metrics::scorer_infos();
  const std::vector<std::string> clinical_names = all_clinical_names();
  std::vector<std::string> wanted = requested;
  if (wanted.empty()) wanted.push_back(have_labeler ? "all" : "lexical");

  std::set<std::string> keys;
  std::vector<std::string> known = group_names();
  for (const auto& info : infos) {
    known.push_back(info.id);
    for (const auto& name : info.metric_names) known.push_back(name);
  }
  known.insert(known.end(), clinical_names.begin(), clinical_names.end());

  for (const auto& raw : wanted) {
    bool matched = false;
    for (const auto& info : infos) {
      const bool whole = info.id == raw || (is_group(raw) && scorer_in_group(info, raw));
      for (const auto& name : info.metric_names) {
        if (whole || name == raw) {
          keys.insert(name);
          matched = true;
        }
      }
    }
    const bool clinical_group = raw == "clinical" || (raw == "all" && have_labeler);
    for (const auto& name : clinical_names) {
      if (clinical_group || name == raw) {
        if (!have_labeler) {
          throw InputError("metric '" + raw +
                           "' needs a labeler to extract the CheXpert "
                           "observations; use --labeler rules (or drop it from --metrics)");
        }
        keys.insert(name);
        matched = true;
      }
    }
    if (raw == "all" || raw == "clinical") matched = true;
    if (!matched) {
      throw InputError("unknown metric '" + raw + "'" + text::did_you_mean(raw, known) +
                       "; `rrg evaluate --list-metrics` shows every name");
    }
  }
  MetricSelection selection;
  for (const auto& info : infos) {
    bool used = false;
    for (const auto& name : info.metric_names) {
      if (keys.count(name) != 0) {
        selection.metric_names.push_back(name);
        used = true;
      }
    }
    if (used) selection.scorer_ids.push_back(info.id);
  }
  for (const auto& name : clinical_names) {
    if (keys.count(name) != 0) selection.clinical_names.push_back(name);
  }
  return selection;
}

EvaluationResult evaluate(const io::PairedReports& reports, const EvaluateOptions& options) {
  const MetricSelection selection = select_metrics(options.metrics, options.labeler != nullptr);
  std::set<std::string> keep(selection.metric_names.begin(), selection.metric_names.end());
  keep.insert(selection.clinical_names.begin(), selection.clinical_names.end());

  EvaluationResult result;
  result.ids = reports.ids;
  result.n_samples = reports.ids.size();
  for (std::size_t i = 0; i < reports.ids.size(); ++i) {
    if (reports.prediction_errors[i].empty() &&
        !text::python_strip(reports.predictions[i]).empty()) {
      ++result.n_valid;
    }
  }

  // Each family's corpus is built once, only when one of its scorers runs.
  const auto& infos = metrics::scorer_infos();
  const auto selected = [&](const std::string& id) {
    return std::find(selection.scorer_ids.begin(), selection.scorer_ids.end(), id) !=
           selection.scorer_ids.end();
  };
  const auto needs_family = [&](const std::string& family) {
    return std::any_of(infos.begin(), infos.end(), [&](const metrics::ScorerInfo& info) {
      return info.family == family && selected(info.id);
    });
  };

  metrics::TextCorpus coco, seed;
  if (needs_family("coco")) {
    const auto start = std::chrono::steady_clock::now();
    coco.hypotheses = cleaned(reports.predictions, options.coco_clean);
    coco.references.reserve(reports.references.size());
    for (const auto& refs : reports.references) {
      coco.references.push_back(cleaned(refs, options.coco_clean));
    }
    result.timings_seconds.emplace_back("prepare:coco", seconds_since(start));
  }
  const std::string seed_cleaner = options.seed_clean ? "seed" : "none";
  if (needs_family("seed")) {
    const auto start = std::chrono::steady_clock::now();
    const text::CleanFunction clean = text::find_cleaner(seed_cleaner).clean;
    seed.hypotheses = cleaned(reports.predictions, seed_cleaner);
    seed.references.reserve(reports.references.size());
    for (const auto& refs : reports.references) seed.references.push_back({clean(refs.front())});
    result.timings_seconds.emplace_back("prepare:seed", seconds_since(start));
  }

  for (const auto& info : infos) {
    if (!selected(info.id)) continue;
    const auto start = std::chrono::steady_clock::now();
    const auto scorer = metrics::make_scorer(info.id, options.scorer_options);
    const bool is_coco = info.family == "coco";
    const metrics::MetricScores scores = scorer->score(is_coco ? coco : seed);
    for (std::size_t k = 0; k < scores.names.size(); ++k) {
      if (keep.count(scores.names[k]) == 0) continue;
      MetricColumn column;
      column.name = scores.names[k];
      column.family = info.family;
      column.corpus = scores.corpus[k];
      column.per_sample = scores.per_sample[k];
      column.signature = scores.signatures[k];
      column.signature.set("clean", is_coco ? options.coco_clean : seed_cleaner);
      result.metrics.push_back(std::move(column));
    }
    result.timings_seconds.emplace_back("score:" + info.id, seconds_since(start));
  }

  if (!selection.clinical_names.empty()) {
    add_clinical(reports, *options.labeler, seed_cleaner, keep, result);
  }
  return result;
}

}  // namespace rrg::pipelines
