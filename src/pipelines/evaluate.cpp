// The evaluation pipeline (see evaluate.h): metric selection, per-family preprocessing, scoring.
#include "rrg/pipelines/evaluate.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "rrg/core/errors.h"
#include "rrg/text/clean.h"
#include "rrg/text/python_str.h"
#include "rrg/text/suggest.h"

namespace rrg::pipelines {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Names accepted by --metrics besides metric keys and scorer ids.
const std::vector<std::string>& group_names() {
  static const std::vector<std::string> names = {"all", "lexical", "coco", "seed"};
  return names;
}

bool scorer_in_group(const metrics::ScorerInfo& info, const std::string& group) {
  return group == "all" || group == "lexical" || info.family == group;
}

// Applies a named cleaner to every text.
std::vector<std::string> cleaned(const std::vector<std::string>& texts,
                                 const std::string& cleaner) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  const text::CleanFunction clean = text::find_cleaner(cleaner).clean;
  for (const auto& t : texts) out.push_back(clean(t));
  return out;
}

}  // namespace

MetricSelection select_metrics(const std::vector<std::string>& requested) {
  const auto& infos = metrics::scorer_infos();
  std::vector<std::string> wanted = requested;
  if (wanted.empty()) wanted.push_back("lexical");

  std::set<std::string> keys;
  std::vector<std::string> known;
  for (const auto& g : group_names()) known.push_back(g);
  for (const auto& info : infos) {
    known.push_back(info.id);
    for (const auto& name : info.metric_names) known.push_back(name);
  }
  for (const auto& raw : wanted) {
    bool matched = false;
    for (const auto& info : infos) {
      const bool whole = info.id == raw || (std::find(group_names().begin(), group_names().end(),
                                                      raw) != group_names().end() &&
                                            scorer_in_group(info, raw));
      for (const auto& name : info.metric_names) {
        if (whole || name == raw) {
          keys.insert(name);
          matched = true;
        }
      }
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
  return selection;
}

EvaluationResult evaluate(const io::PairedReports& reports, const EvaluateOptions& options) {
  const MetricSelection selection = select_metrics(options.metrics);
  const std::set<std::string> keep(selection.metric_names.begin(), selection.metric_names.end());

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
  const auto needs_family = [&](const std::string& family) {
    for (const auto& info : infos) {
      if (info.family == family &&
          std::find(selection.scorer_ids.begin(), selection.scorer_ids.end(), info.id) !=
              selection.scorer_ids.end()) {
        return true;
      }
    }
    return false;
  };

  metrics::TextCorpus coco, seed;
  if (needs_family("coco")) {
    const auto start = std::chrono::steady_clock::now();
    coco.hypotheses = cleaned(reports.predictions, options.coco_clean);
    coco.references.reserve(reports.references.size());
    for (const auto& refs : reports.references)
      coco.references.push_back(cleaned(refs, options.coco_clean));
    result.timings_seconds.emplace_back("prepare:coco", seconds_since(start));
  }
  if (needs_family("seed")) {
    const auto start = std::chrono::steady_clock::now();
    const std::string cleaner = options.seed_clean ? "seed" : "none";
    seed.hypotheses = cleaned(reports.predictions, cleaner);
    seed.references.reserve(reports.references.size());
    for (const auto& refs : reports.references) {
      seed.references.push_back({text::find_cleaner(cleaner).clean(refs.front())});
    }
    result.timings_seconds.emplace_back("prepare:seed", seconds_since(start));
  }

  for (const auto& info : infos) {
    if (std::find(selection.scorer_ids.begin(), selection.scorer_ids.end(), info.id) ==
        selection.scorer_ids.end()) {
      continue;
    }
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
      column.signature.set("clean",
                           is_coco ? options.coco_clean : (options.seed_clean ? "seed" : "none"));
      result.metrics.push_back(std::move(column));
    }
    result.timings_seconds.emplace_back("score:" + info.id, seconds_since(start));
  }
  return result;
}

}  // namespace rrg::pipelines
