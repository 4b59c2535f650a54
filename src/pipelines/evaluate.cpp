// The evaluation pipeline (see evaluate.h): metric selection, per-family preprocessing, lexical
// scoring and, with a labeler, the clinical family.
#include "rrg/pipelines/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include "rrg/core/errors.h"
#include "rrg/labelers/chexbert/chexbert.h"
#include "rrg/labelers/label_texts.h"
#include "rrg/metrics/clinical/embedding_similarity.h"
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

// Labels predictions and first references (each distinct text once) and computes the clinical
// family. Ids where either side could not be labelled are left out and reported.
// `texts` holds the predictions and first references after the seed family's cleaner, so an
// LLM's <think> block or markdown cannot produce findings.
void add_clinical(const metrics::TextCorpus& texts, labelers::Labeler& labeler,
                  const std::string& cleaner, const std::set<std::string>& keep,
                  EvaluationResult& result) {
  const std::size_t n = texts.size();
  std::vector<std::string_view> views;
  views.reserve(2 * n);
  for (const auto& p : texts.hypotheses) views.push_back(p);
  for (const auto& refs : texts.references) views.push_back(refs.front());

  auto start = std::chrono::steady_clock::now();
  const labelers::DistinctLabels labelled = labelers::label_distinct(labeler, views);
  result.timings_seconds.emplace_back("label:" + labeler.name(), seconds_since(start));

  start = std::chrono::steady_clock::now();
  ClinicalDetails details;
  details.labeler_identity = labeler.identity();
  details.n_distinct_texts = labelled.n_distinct;
  details.errors.resize(n);
  std::vector<chexpert::LabelRow> included_pred, included_ref;
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

  // CheXbert vector similarity: the labels above already ran CheXbert on these texts, so the
  // embeddings come from the labeler's memory (or its cache), not from a second pass.
  auto* chexbert = dynamic_cast<labelers::ChexbertLabeler*>(&labeler);
  if (chexbert != nullptr && keep.count(metrics::kChexbertSimilarityName) != 0) {
    start = std::chrono::steady_clock::now();
    const std::vector<std::vector<float>> embeddings =
        chexbert->embed(std::vector<std::string>(views.begin(), views.end()));
    const metrics::EmbeddingSimilarity similarity = metrics::embedding_similarity(
        {embeddings.begin(), embeddings.begin() + static_cast<std::ptrdiff_t>(n)},
        {embeddings.begin() + static_cast<std::ptrdiff_t>(n), embeddings.end()});
    MetricColumn column;
    column.name = metrics::kChexbertSimilarityName;
    column.family = "embed";  // printed with the lexical families (evaluation_output.cpp)
    column.corpus = similarity.mean;
    column.per_sample = similarity.per_sample;
    column.signature = metrics::Signature(metrics::kChexbertSimilarityName);
    column.signature.set("labeler", result.clinical->labeler_identity);
    column.signature.set("emb", "cls");
    column.signature.set("clean", cleaner);
    result.metrics.push_back(std::move(column));
    result.timings_seconds.emplace_back("score:chexbert-similarity", seconds_since(start));
  }
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
  known.push_back(metrics::kChexbertSimilarityName);

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
    // With the chexbert labeler only (evaluate() checks); the clinical group includes it.
    if (raw == metrics::kChexbertSimilarityName || clinical_group) {
      if (!have_labeler) {
        throw InputError("metric '" + raw + "' needs --labeler chexbert");
      }
      keys.insert(metrics::kChexbertSimilarityName);
      matched = true;
    }
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
  if (keys.count(metrics::kChexbertSimilarityName) != 0) {
    selection.clinical_names.push_back(metrics::kChexbertSimilarityName);
  }
  return selection;
}

EvaluationResult evaluate(io::PairedReports reports, const EvaluateOptions& options) {
  const MetricSelection selection = select_metrics(options.metrics, options.labeler != nullptr);
  std::set<std::string> keep(selection.metric_names.begin(), selection.metric_names.end());
  keep.insert(selection.clinical_names.begin(), selection.clinical_names.end());

  if (std::find(options.metrics.begin(), options.metrics.end(), metrics::kChexbertSimilarityName) !=
          options.metrics.end() &&
      dynamic_cast<labelers::ChexbertLabeler*>(options.labeler) == nullptr) {
    throw InputError(std::string(metrics::kChexbertSimilarityName) +
                     " compares CheXbert embeddings and needs --labeler chexbert");
  }

  EvaluationResult result;
  result.n_samples = reports.ids.size();
  for (std::size_t i = 0; i < reports.ids.size(); ++i) {
    if (reports.prediction_errors[i].empty() &&
        !text::python_strip(reports.predictions[i]).empty()) {
      ++result.n_valid;
    }
  }
  result.ids = std::move(reports.ids);

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
  // Columns per family; assembled in registry order (coco, seed, then clinical) at the end.
  std::vector<MetricColumn> coco_columns, seed_columns;
  const auto run_family = [&](const std::string& family, const metrics::TextCorpus& corpus,
                              const std::string& cleaner, std::vector<MetricColumn>& out) {
    for (const auto& info : infos) {
      if (info.family != family || !selected(info.id)) continue;
      const auto start = std::chrono::steady_clock::now();
      const auto scorer = metrics::make_scorer(info.id, options.scorer_options);
      metrics::MetricScores scores = scorer->score(corpus);
      for (std::size_t k = 0; k < scores.names.size(); ++k) {
        if (keep.count(scores.names[k]) == 0) continue;
        MetricColumn column;
        column.name = scores.names[k];
        column.family = info.family;
        column.corpus = scores.corpus[k];
        column.per_sample = std::move(scores.per_sample[k]);
        column.signature = scores.signatures[k];
        column.signature.set("clean", cleaner);
        out.push_back(std::move(column));
      }
      result.timings_seconds.emplace_back("score:" + info.id, seconds_since(start));
    }
  };

  // The seed family and the clinical labeler read the seed-cleaned predictions and first
  // references; built once, freed before the coco family takes over the raw texts.
  const std::string seed_cleaner = options.seed_clean ? "seed" : "none";
  const bool clinical = !selection.clinical_names.empty();
  if (needs_family("seed") || clinical) {
    auto start = std::chrono::steady_clock::now();
    const text::CleanFunction clean = text::find_cleaner(seed_cleaner).clean;
    metrics::TextCorpus seed;
    seed.hypotheses.reserve(reports.predictions.size());
    seed.references.reserve(reports.references.size());
    for (const auto& p : reports.predictions) seed.hypotheses.push_back(clean(p));
    for (const auto& refs : reports.references) seed.references.push_back({clean(refs.front())});
    result.timings_seconds.emplace_back("prepare:seed", seconds_since(start));
    run_family("seed", seed, seed_cleaner, seed_columns);
    if (clinical) add_clinical(seed, *options.labeler, seed_cleaner, keep, result);
  }

  // The coco family takes the raw texts over (moved, or cleaned in place of the originals).
  if (needs_family("coco")) {
    const auto start = std::chrono::steady_clock::now();
    metrics::TextCorpus coco;
    coco.hypotheses = std::move(reports.predictions);
    coco.references = std::move(reports.references);
    if (options.coco_clean != "none") {
      const text::CleanFunction clean = text::find_cleaner(options.coco_clean).clean;
      for (auto& h : coco.hypotheses) h = clean(h);
      for (auto& refs : coco.references) {
        for (auto& r : refs) r = clean(r);
      }
    }
    result.timings_seconds.emplace_back("prepare:coco", seconds_since(start));
    run_family("coco", coco, options.coco_clean, coco_columns);
  }

  std::vector<MetricColumn> clinical_columns = std::move(result.metrics);
  result.metrics.clear();
  for (auto* family : {&coco_columns, &seed_columns, &clinical_columns}) {
    for (auto& column : *family) result.metrics.push_back(std::move(column));
  }
  return result;
}

}  // namespace rrg::pipelines
