// The comparison pipeline (see compare.h).
#include "rrg/pipelines/compare.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "rrg/core/errors.h"
#include "rrg/pipelines/evaluation_report.h"
#include "rrg/pipelines/resampling.h"
#include "rrg/stats/numpy_random_state.h"
#include "rrg/text/suggest.h"

namespace rrg::pipelines {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The per-observation diagnostics of the original toolkit's table, left out of the default
// selection of tested keys (they stay available by name).
bool table_diagnostic(const std::string& name) {
  if (name == "chexpert_table_n_valid") return true;
  for (const char* prefix :
       {"chexpert_table_auc_", "chexpert_table_recall_", "chexpert_table_specificity_",
        "chexpert_table_n_pos_", "chexpert_table_n_neg_"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::size_t baseline_index(const CompareOptions& options) {
  if (options.baseline.empty()) return 0;
  std::vector<std::string> names;
  for (std::size_t s = 0; s < options.systems.size(); ++s) {
    if (options.systems[s].name == options.baseline) return s;
    names.push_back(options.systems[s].name);
  }
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  throw InputError("--baseline '" + options.baseline + "' is not one of the systems" +
                   text::did_you_mean(options.baseline, names) + " (systems: " + list + ")");
}

// The ids every file holds, in the baseline's order; with kError any difference is an error
// naming the files and counts.
std::vector<std::string> common_ids(const std::vector<io::ReportFile>& systems,
                                    const io::ReportFile& references, std::size_t baseline,
                                    io::MissingPolicy policy, std::size_t& dropped) {
  const auto ids_of = [](const io::ReportFile& file) {
    std::unordered_set<std::string> ids;
    for (const auto& record : file.records) ids.insert(record.id);
    return ids;
  };
  const std::unordered_set<std::string> reference_ids = ids_of(references);
  std::vector<std::unordered_set<std::string>> system_ids;
  for (const auto& file : systems) system_ids.push_back(ids_of(file));
  std::vector<std::string> common;
  for (const auto& record : systems[baseline].records) {
    bool everywhere = reference_ids.count(record.id) != 0;
    for (const auto& ids : system_ids) everywhere = everywhere && ids.count(record.id) != 0;
    if (everywhere) common.push_back(record.id);
  }
  std::size_t total_dropped = 0;
  std::string details;
  const auto note = [&](const io::ReportFile& file) {
    const std::size_t extra = file.records.size() - common.size();
    total_dropped += extra;
    if (extra == 0) return;
    std::string first;
    for (const auto& record : file.records) {
      if (std::find(common.begin(), common.end(), record.id) == common.end()) {
        first = record.id;
        break;
      }
    }
    details += (details.empty() ? "" : "; ") + file.path + " has " + std::to_string(extra) + " id" +
               (extra == 1 ? "" : "s") + " the others lack (first: \"" + first + "\")";
  };
  for (const auto& file : systems) note(file);
  note(references);
  if (total_dropped > 0 && policy == io::MissingPolicy::kError) {
    throw InputError(
        "ids differ between the systems and the references: " + std::to_string(common.size()) +
        " ids are common; " + details + ". Use --missing skip to compare on the common ids");
  }
  if (common.empty()) {
    throw InputError("the systems and the references share no id (" + details + ")");
  }
  dropped = total_dropped;
  return common;
}

// The records of `file` for `ids`, in that order.
io::ReportFile select_records(const io::ReportFile& file, const std::vector<std::string>& ids) {
  std::unordered_map<std::string, const io::ReportRecord*> by_id;
  for (const auto& record : file.records) by_id.emplace(record.id, &record);
  io::ReportFile out;
  out.path = file.path;
  out.format = file.format;
  out.positional_ids = false;  // paired by id from here on (positional files got their ids)
  for (const auto& id : ids) out.records.push_back(*by_id.at(id));
  return out;
}

// Where a tested key lives: scorer run `run` of every system, key `key`.
struct KeyPlace {
  std::size_t run = 0;
  std::size_t key = 0;
};

}  // namespace

void check_compare_options(const CompareOptions& options) {
  if (options.systems.size() < 2) {
    throw InputError("compare needs at least two systems (--sys NAME=FILE, one per system); got " +
                     std::to_string(options.systems.size()));
  }
  std::set<std::string> names;
  for (const auto& system : options.systems) {
    if (system.name.empty())
      throw InputError("--sys " + system.path + ": the system needs a name (NAME=FILE)");
    if (!names.insert(system.name).second) {
      throw InputError("system name '" + system.name + "' is given twice; names must be unique");
    }
  }
  baseline_index(options);
  if (options.ar_trials == 0) {
    throw InputError(
        "--ar-trials must be at least 1 (the randomization test needs trials; 10000 "
        "is the default)");
  }
  if (!(options.ci > 0 && options.ci < 100)) {
    throw InputError("--ci must be a percentage between 0 and 100 (exclusive), e.g. 95");
  }
  if (options.missing == io::MissingPolicy::kEmpty) {
    throw InputError(
        "compare takes --missing error or skip (a missing output would be scored as "
        "an empty report)");
  }
  if (options.bootstrap > 0) stats::NumpyRandomState{options.seed};  // refuses what NumPy refuses
}

CompareResult compare(const CompareOptions& options) {
  check_compare_options(options);
  const std::size_t baseline = baseline_index(options);
  CompareResult result;
  result.baseline = baseline;
  result.ar_trials = options.ar_trials;
  result.bootstrap = options.bootstrap;
  result.ci = options.ci;
  result.seed = options.seed;
  result.missing_policy = std::string(io::missing_policy_name(options.missing));
  result.coco_clean = options.scoring.coco_clean;
  result.seed_clean = options.scoring.seed_clean;
  result.command_line = options.command_line;
  for (const auto& system : options.systems) result.systems.push_back(system.name);

  // Read every file, then keep the ids they share, in the baseline's order.
  auto start = std::chrono::steady_clock::now();
  const io::ReportFile references =
      io::read_report_file(options.references, options.references_format);
  result.references = {options.references, std::string(io::report_format_name(references.format)),
                       references.records.size()};
  std::vector<io::ReportFile> files;
  for (const auto& system : options.systems) {
    files.push_back(io::read_report_file(system.path, system.format));
    result.inputs.push_back({system.path, std::string(io::report_format_name(files.back().format)),
                             files.back().records.size()});
    if (files.back().positional_ids != references.positional_ids) {
      throw InputError(system.path + " and " + options.references +
                       ": one has ids and the other pairs by position; give both ids (or both "
                       "positions) so that every system pairs the same way");
    }
  }
  std::vector<std::string> ids =
      common_ids(files, references, baseline, options.missing, result.dropped);
  if (result.dropped > 0 && options.on_message) {
    options.on_message("comparing on the " + std::to_string(ids.size()) +
                       " ids every system and the references share; " +
                       std::to_string(result.dropped) + " records left out (--missing skip)");
  }
  result.n_samples = ids.size();
  result.timings_seconds.emplace_back("read", seconds_since(start));

  // Score every system exactly as `rrg evaluate` would on those pairs, with one set of scorers
  // for all of them: a model (BERTScore's encoder, its embeddings of the shared references) is
  // loaded once, not once per system.
  EvaluateOptions scoring = options.scoring;
  std::map<std::string, std::shared_ptr<const metrics::Scorer>> built;
  if (scoring.prebuilt_scorers == nullptr) {
    const metrics::MetricSelection selection =
        select_evaluation_metrics(scoring.metrics, scoring.labeler, scoring.scorer_options);
    for (const auto& id : selection.scorer_ids) {
      built.emplace(id, metrics::make_scorer(id, scoring.scorer_options));
    }
    scoring.prebuilt_scorers = &built;
  }
  std::vector<EvaluationResult> evaluations;
  if (options.keep_report_inputs) result.report_inputs.emplace();
  for (std::size_t s = 0; s < files.size(); ++s) {
    start = std::chrono::steady_clock::now();
    io::PairedReports paired = io::pair_reports(
        select_records(files[s], ids), select_records(references, ids), io::MissingPolicy::kError);
    // evaluate() takes the texts over: the report's copy is made first.
    std::optional<ReportTexts> texts;
    if (result.report_inputs) texts = copy_report_texts(paired);
    evaluations.push_back(evaluate(std::move(paired), scoring));
    if (texts) {
      CompareReportInputs& kept = *result.report_inputs;
      kept.systems.push_back(system_report(evaluations.back(), options.systems[s].name,
                                           options.systems[s].path, std::move(texts->predictions),
                                           std::move(texts->prediction_errors)));
      if (s == baseline) kept.references = std::move(texts->references);
    }
    result.timings_seconds.emplace_back("score:" + options.systems[s].name, seconds_since(start));
  }
  const EvaluationResult& base = evaluations[baseline];
  if (result.report_inputs) {
    result.report_inputs->ids = base.ids;
    result.report_inputs->metrics = report_metrics(base);
    if (base.clinical) result.report_inputs->reference_labels = base.clinical->references;
  }
  if (base.clinical) {
    result.labeler_identity = base.clinical->labeler_identity;
    result.labeler_note = base.clinical->labeler_note;
  }

  // The metrics with a corpus value, in the order evaluate reports them, and where each lives.
  std::vector<KeyPlace> places;
  for (std::size_t m = 0; m < base.metrics.size(); ++m) {
    const MetricColumn& column = base.metrics[m];
    if (!column.has_corpus) continue;
    CompareMetric metric;
    metric.name = column.name;
    metric.family = column.family;
    metric.signature = column.signature;
    KeyPlace place;
    bool found = false;
    for (std::size_t r = 0; r < base.runs.size() && !found; ++r) {
      const auto keys = base.runs[r].scorer->keys();
      for (std::size_t k = 0; k < keys.size(); ++k) {
        if (keys[k].name == column.name) {
          place = {r, k};
          found = true;
          break;
        }
      }
    }
    const bool asked = std::find(options.scoring.metrics.begin(), options.scoring.metrics.end(),
                                 column.name) != options.scoring.metrics.end();
    metric.tested = found && (asked || !table_diagnostic(column.name));
    result.metrics.push_back(std::move(metric));
    places.push_back(place);
    std::vector<CompareCell> row(evaluations.size());
    for (std::size_t s = 0; s < evaluations.size(); ++s) {
      row[s].value = evaluations[s].metrics[m].corpus;
    }
    result.cells.push_back(std::move(row));
  }

  const unsigned threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::uint64_t ar_total = 0, bootstrap_total = options.bootstrap;
  std::vector<std::size_t> tested;
  for (std::size_t m = 0; m < result.metrics.size(); ++m) {
    if (result.metrics[m].tested) tested.push_back(m);
  }
  ar_total =
      static_cast<std::uint64_t>(options.ar_trials) * tested.size() * (evaluations.size() - 1);
  const auto progress = [&](std::uint64_t offset) {
    return [&, offset](std::uint64_t done, std::uint64_t) {
      if (options.progress) options.progress(offset + done, ar_total + bootstrap_total);
    };
  };

  // Approximate randomization: RadEval's stream order, systems then metrics.
  start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<stats::PairedMetric>> paired;
  std::vector<const stats::PairedMetric*> jobs;
  std::vector<std::pair<std::size_t, std::size_t>> job_cell;  // (metric, system)
  for (std::size_t s = 0; s < evaluations.size(); ++s) {
    if (s == baseline) continue;
    for (const std::size_t m : tested) {
      const KeyPlace& place = places[m];
      paired.push_back(make_paired_metric(*base.runs[place.run].scorer, place.key,
                                          base.runs[place.run].statistics,
                                          evaluations[s].runs[place.run].statistics));
      jobs.push_back(paired.back().get());
      job_cell.emplace_back(m, s);
    }
  }
  stats::ApproximateRandomizationOptions ar;
  ar.trials = options.ar_trials;
  ar.seed = options.seed;
  ar.convention = options.p_value;
  ar.threads = threads;
  ar.cancel = options.cancel;
  ar.progress = progress(0);
  result.ar_signature = stats::approximate_randomization_signature(ar);
  if (!jobs.empty()) {
    const auto outcomes = stats::approximate_randomization(jobs, result.n_samples, ar);
    for (std::size_t j = 0; j < outcomes.size(); ++j) {
      result.cells[job_cell[j].first][job_cell[j].second].p_value = outcomes[j].p_value;
    }
  }
  result.timings_seconds.emplace_back("approximate-randomization", seconds_since(start));

  // Paired bootstrap: one group per (scorer, system) computes every tested key of that scorer.
  if (options.bootstrap > 0 && !tested.empty()) {
    start = std::chrono::steady_clock::now();
    std::vector<std::vector<std::size_t>> keys_of_run(base.runs.size());
    std::vector<std::size_t> slot_of_metric(result.metrics.size(), 0);
    for (const std::size_t m : tested) {
      slot_of_metric[m] = keys_of_run[places[m].run].size();
      keys_of_run[places[m].run].push_back(places[m].key);
    }
    std::vector<std::unique_ptr<stats::ResampledGroup>> groups;  // [run * systems + system]
    for (std::size_t r = 0; r < base.runs.size(); ++r) {
      for (std::size_t s = 0; s < evaluations.size(); ++s) {
        groups.push_back(keys_of_run[r].empty()
                             ? nullptr
                             : make_resampled_group(*base.runs[r].scorer, keys_of_run[r],
                                                    evaluations[s].runs[r].statistics));
      }
    }
    std::vector<std::vector<stats::ResampledCell>> cells;
    for (const std::size_t m : tested) {
      std::vector<stats::ResampledCell> row;
      for (std::size_t s = 0; s < evaluations.size(); ++s) {
        row.push_back({groups[places[m].run * evaluations.size() + s].get(), slot_of_metric[m]});
      }
      cells.push_back(std::move(row));
    }
    stats::PairedBootstrapOptions bootstrap;
    bootstrap.replicates = options.bootstrap;
    bootstrap.ci = options.ci;
    bootstrap.seed = options.seed;
    bootstrap.threads = threads;
    bootstrap.cancel = options.cancel;
    bootstrap.progress = progress(ar_total);
    result.bootstrap_signature = stats::paired_bootstrap_signature(bootstrap);
    const auto intervals = stats::paired_bootstrap(cells, baseline, result.n_samples, bootstrap);
    for (std::size_t t = 0; t < tested.size(); ++t) {
      for (std::size_t s = 0; s < evaluations.size(); ++s) {
        CompareCell& cell = result.cells[tested[t]][s];
        cell.ci = Interval{intervals[t][s].value.low, intervals[t][s].value.high};
        if (intervals[t][s].diff) {
          cell.diff_ci = Interval{intervals[t][s].diff->low, intervals[t][s].diff->high};
        }
      }
    }
    result.timings_seconds.emplace_back("bootstrap", seconds_since(start));
  }
  return result;
}

}  // namespace rrg::pipelines
