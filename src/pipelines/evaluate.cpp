// The evaluation pipeline (see evaluate.h): the selected scorers of the registry run on lazily
// prepared inputs (each text convention cleaned once, the labeler run once), through the shared
// driver of rrg/metrics/driver.h.
#include "rrg/pipelines/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "rrg/core/errors.h"
#include "rrg/core/parallel.h"
#include "rrg/labelers/label_texts.h"
#include "rrg/metrics/clinical/clinical_scorer.h"
#include "rrg/metrics/clinical/embedding_similarity.h"
#include "rrg/metrics/registry.h"
#include "rrg/text/clean.h"
#include "rrg/text/python_str.h"

namespace rrg::pipelines {
namespace {

using metrics::TextConvention;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Texts per task when a convention's texts are cleaned in parallel.
constexpr std::size_t kCleanTexts = 512;

// Calls body(i) for every i in [0, n), in blocks of kCleanTexts on `threads` threads.
void for_each_text(std::size_t n, std::size_t threads,
                   const std::function<void(std::size_t)>& body) {
  parallel_for((n + kCleanTexts - 1) / kCleanTexts, threads, [&](std::size_t task, std::size_t) {
    const std::size_t last = std::min(n, (task + 1) * kCleanTexts);
    for (std::size_t i = task * kCleanTexts; i < last; ++i) body(i);
  });
}

// A cleaned copy of paired texts: every reference of each pair, or only the first (the seed
// convention's).
metrics::TextCorpus cleaned_copy(const std::vector<std::string>& hypotheses,
                                 const std::vector<std::vector<std::string>>& references,
                                 text::CleanFunction clean, bool first_reference_only,
                                 std::size_t threads) {
  metrics::TextCorpus out;
  const std::size_t n = hypotheses.size();
  out.hypotheses.resize(n);
  out.references.resize(n);
  for_each_text(n, threads, [&](std::size_t i) {
    out.hypotheses[i] = clean(hypotheses[i]);
    if (first_reference_only) {
      out.references[i].push_back(clean(references[i].front()));
      return;
    }
    out.references[i].reserve(references[i].size());
    for (const auto& r : references[i]) out.references[i].push_back(clean(r));
  });
  return out;
}

// The scorers' inputs for one evaluation. Texts are prepared the first time a scorer asks, and
// a million-pair corpus is held once, not twice: the coco convention (asked for first) takes the
// paired texts over -- moved as they are, or, with a coco cleaner, cleaned into a copy when the
// seed convention still needs the originals --, release_coco() gives them back, and the seed
// convention (asked for last) then takes them over and cleans the predictions and first
// references in place. The labeler labels the seed-cleaned texts (an LLM's <think> block or
// markdown cannot produce findings), each distinct text once. Each preparation is recorded as a
// timed event ("prepare:coco", "prepare:seed", "label:rules", ...).
class LazyScoringInputs final : public metrics::ScoringInputs {
 public:
  using Event = std::pair<std::string, double>;

  // `seed_needed`: whether a scorer may ask for the seed convention (its texts, labels or
  // embeddings) after the coco one.
  LazyScoringInputs(io::PairedReports& reports, const EvaluateOptions& options, bool seed_needed)
      : reports_(reports),
        options_(options),
        threads_(resolve_threads(options.threads)),
        size_(reports.predictions.size()),
        seed_needed_(seed_needed) {}

  std::size_t size() const override { return size_; }
  std::size_t threads() const override { return threads_; }

  const metrics::TextCorpus& texts(TextConvention convention) override {
    return convention == TextConvention::kSeed ? seed() : coco();
  }

  std::string cleaner(TextConvention convention) const override {
    if (convention == TextConvention::kCoco) return options_.coco_clean;
    return options_.seed_clean ? "seed" : "none";
  }

  const metrics::PairLabels& labels() override {
    if (labels_) return *labels_;
    if (labels_released_) throw std::logic_error("evaluate: labels asked for after release");
    if (options_.labeler == nullptr) {
      throw InputError("clinical metrics need a labeler; use --labeler rules");
    }
    const metrics::TextCorpus& texts = seed();
    const std::size_t n = texts.size();
    std::vector<std::string_view> views;
    views.reserve(2 * n);
    for (const auto& p : texts.hypotheses) views.push_back(p);
    for (const auto& refs : texts.references) views.push_back(refs.front());
    const auto start = std::chrono::steady_clock::now();
    const labelers::DistinctLabels labelled =
        labelers::label_distinct(*options_.labeler, views, threads_);
    events_.emplace_back("label:" + options_.labeler->name(), seconds_since(start));
    n_distinct_ = labelled.n_distinct;
    labels_.emplace();
    labels_->labeler_identity = options_.labeler->identity();
    labels_->errors.resize(n);
    labels_->predictions.reserve(n);
    labels_->references.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& pred = labelled.result(i);
      const auto& ref = labelled.result(n + i);
      labels_->predictions.push_back(pred.labels);
      labels_->references.push_back(ref.labels);
      std::string& error = labels_->errors[i];
      if (!pred.error.empty()) error = "prediction: " + pred.error;
      if (!ref.error.empty()) error += (error.empty() ? "" : "; ") + ("reference: " + ref.error);
    }
    return *labels_;
  }

  const metrics::PairEmbeddings& embeddings() override {
    if (embeddings_) return *embeddings_;
    labelers::ReportEmbedder* embedder =
        options_.labeler != nullptr ? options_.labeler->embedder() : nullptr;
    if (embedder == nullptr) {
      throw InputError(std::string(metrics::kChexbertSimilarityName) +
                       " compares CheXbert embeddings and needs --labeler chexbert");
    }
    // With CheXbert the labels above ran the model on these texts already: the embeddings come
    // from the labeler's memory (or its cache), not from a second pass.
    const metrics::TextCorpus& texts = seed();
    std::vector<std::string> all(texts.hypotheses.begin(), texts.hypotheses.end());
    for (const auto& refs : texts.references) all.push_back(refs.front());
    std::vector<std::vector<float>> vectors = embedder->embed(all);
    const auto n = static_cast<std::ptrdiff_t>(texts.size());
    embeddings_.emplace();
    embeddings_->identity = embedder->embedding_identity();
    embeddings_->predictions.assign(std::make_move_iterator(vectors.begin()),
                                    std::make_move_iterator(vectors.begin() + n));
    embeddings_->references.assign(std::make_move_iterator(vectors.begin() + n),
                                   std::make_move_iterator(vectors.end()));
    return *embeddings_;
  }

  // The coco corpus is no longer needed (its scorers ran): texts taken over as they were go
  // back to the paired reports for the seed convention.
  void release_coco() {
    if (!coco_) return;
    // (When the seed texts were already copied from them, the originals are simply dropped.)
    if (coco_owns_originals_ && !seed_) {
      reports_.predictions = std::move(coco_->hypotheses);
      reports_.references = std::move(coco_->references);
      coco_owns_originals_ = false;
    }
    coco_.reset();
  }

  // Hands the labels over once the clinical scorer ran (no copy of a million label rows); a
  // later labels() would be a bug.
  metrics::PairLabels release_labels() {
    if (!labels_) throw std::logic_error("evaluate: labels released before they were computed");
    metrics::PairLabels out = std::move(*labels_);
    labels_.reset();
    labels_released_ = true;
    return out;
  }

  std::size_t n_distinct() const { return n_distinct_; }
  const std::vector<Event>& events() const { return events_; }

 private:
  // The originals are gone once a convention took them over and cleaned them.
  void check_originals(const char* convention) const {
    if (coco_owns_originals_ || originals_cleaned_) {
      throw std::logic_error(std::string("evaluate: ") + convention +
                             " texts asked for after the originals were cleaned");
    }
  }

  const metrics::TextCorpus& seed() {
    if (seed_) return *seed_;
    const auto start = std::chrono::steady_clock::now();
    const text::CleanFunction clean = text::find_cleaner(cleaner(TextConvention::kSeed)).clean;
    if (coco_owns_originals_) {
      // Asked for while the coco scorers hold the originals (RadCliQ-v1 reads the CheXbert
      // embeddings of seed texts): a cleaned copy of the predictions and first references.
      seed_ = cleaned_copy(coco_->hypotheses, coco_->references, clean,
                           /*first_reference_only=*/true, threads_);
      events_.emplace_back("prepare:seed", seconds_since(start));
      return *seed_;
    }
    check_originals("seed");
    seed_.emplace();
    originals_cleaned_ = true;
    seed_->hypotheses = std::move(reports_.predictions);
    seed_->references = std::move(reports_.references);
    for_each_text(seed_->size(), threads_, [&](std::size_t i) {
      std::string& hypothesis = seed_->hypotheses[i];
      hypothesis = clean(hypothesis);
      std::vector<std::string>& references = seed_->references[i];
      references.resize(1);  // the seed convention reads the first reference only
      references.shrink_to_fit();
      references.front() = clean(references.front());
    });
    events_.emplace_back("prepare:seed", seconds_since(start));
    return *seed_;
  }

  const metrics::TextCorpus& coco() {
    if (coco_) return *coco_;
    check_originals("coco");
    const auto start = std::chrono::steady_clock::now();
    coco_.emplace();
    if (options_.coco_clean == "none") {
      coco_->hypotheses = std::move(reports_.predictions);
      coco_->references = std::move(reports_.references);
      coco_owns_originals_ = true;
    } else {
      const text::CleanFunction clean = text::find_cleaner(options_.coco_clean).clean;
      if (seed_needed_) {  // a cleaned copy: the seed convention cleans the originals later
        coco_ = cleaned_copy(reports_.predictions, reports_.references, clean,
                             /*first_reference_only=*/false, threads_);
      } else {
        coco_->hypotheses = std::move(reports_.predictions);
        coco_->references = std::move(reports_.references);
        originals_cleaned_ = true;
        for_each_text(coco_->size(), threads_, [&](std::size_t i) {
          coco_->hypotheses[i] = clean(coco_->hypotheses[i]);
          for (auto& r : coco_->references[i]) r = clean(r);
        });
      }
    }
    events_.emplace_back("prepare:coco", seconds_since(start));
    return *coco_;
  }

  io::PairedReports& reports_;
  const EvaluateOptions& options_;
  std::size_t threads_;
  std::size_t size_;
  bool seed_needed_;
  bool coco_owns_originals_ = false;  // coco_ holds the paired texts as they were
  bool originals_cleaned_ = false;    // a convention cleaned the paired texts in place
  std::vector<Event> events_;
  std::optional<metrics::TextCorpus> seed_, coco_;
  std::optional<metrics::PairLabels> labels_;
  bool labels_released_ = false;
  std::optional<metrics::PairEmbeddings> embeddings_;
  std::size_t n_distinct_ = 0;
};

// The columns of one scorer's selected keys (their names, values and signatures moved out of
// `scores`).
void add_columns(const metrics::ScorerInfo& info, metrics::MetricScores& scores,
                 const std::unordered_set<std::string_view>& keep, std::vector<MetricColumn>& out,
                 std::vector<std::size_t>& selected) {
  out.reserve(out.size() + scores.keys.size());
  for (std::size_t k = 0; k < scores.keys.size(); ++k) {
    if (keep.count(scores.keys[k].name) == 0) continue;
    selected.push_back(k);
    MetricColumn column;
    column.name = std::move(scores.keys[k].name);
    column.family = info.family;
    column.has_corpus = scores.keys[k].corpus;
    column.corpus = scores.corpus[k];
    column.per_sample = std::move(scores.per_sample[k]);
    column.signature = std::move(scores.signatures[k]);
    out.push_back(std::move(column));
  }
}

// The labels behind the clinical family, for the per-sample outputs and the table.
ClinicalDetails clinical_details(metrics::PairLabels labels,
                                 const metrics::SampleStatistics& statistics,
                                 std::size_t n_distinct) {
  ClinicalDetails details;
  details.labeler_identity = labels.labeler_identity;
  details.predictions = std::move(labels.predictions);
  details.references = std::move(labels.references);
  details.errors = std::move(labels.errors);
  details.n_distinct_texts = n_distinct;
  for (const auto& error : details.errors) details.n_excluded += error.empty() ? 0 : 1;
  std::vector<std::size_t> rows(statistics.size());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  std::vector<chexpert::LabelRow> predictions, references;
  metrics::ClinicalScorer::label_rows(statistics, rows.data(), rows.size(), predictions,
                                      references);
  // The table compute_clinical_metrics() makes, from the same counts (without its 131 values
  // and signatures, which nothing here reads).
  metrics::ClinicalCounts counts{};
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    metrics::add_clinical_pair(predictions[i], references[i], counts);
  }
  details.table = metrics::build_clinical_table(counts);
  return details;
}

}  // namespace

metrics::MetricSelection select_evaluation_metrics(const std::vector<std::string>& requested,
                                                   labelers::Labeler* labeler,
                                                   const metrics::ScorerOptions& scorer_options) {
  const metrics::SelectionContext context = metrics::selection_context(
      scorer_options, labeler != nullptr, labeler != nullptr && labeler->embedder() != nullptr);
  return metrics::select_metrics(requested, context);
}

EvaluationResult evaluate(io::PairedReports reports, const EvaluateOptions& options) {
  std::optional<metrics::MetricSelection> resolved;
  if (options.selection == nullptr) {
    resolved = select_evaluation_metrics(options.metrics, options.labeler, options.scorer_options);
  }
  const metrics::MetricSelection& selection =
      options.selection != nullptr ? *options.selection : *resolved;
  const std::unordered_set<std::string_view> keep(selection.metric_names.begin(),
                                                  selection.metric_names.end());

  EvaluationResult result;
  result.n_samples = reports.ids.size();
  for (std::size_t i = 0; i < reports.ids.size(); ++i) {
    if (reports.prediction_errors[i].empty() &&
        !text::python_strip(reports.predictions[i]).empty()) {
      ++result.n_valid;
    }
  }
  result.ids = std::move(reports.ids);

  // Scorers of the coco convention (and the model scorers, which read coco texts) run first,
  // the seed convention's (and the labels, which read seed texts) last, so that the seed
  // convention can then clean the paired texts in place instead of holding a second copy. Within
  // each batch the scorers of one text convention and tokenizer share one tokenization
  // (run_scorers). No value depends on the order: scorers are independent.
  const auto& infos = metrics::scorer_infos();
  std::vector<const metrics::ScorerInfo*> seed_batch, coco_batch;
  std::vector<std::vector<const metrics::ScorerInfo*>> model_batches;
  for (const auto& info : infos) {
    if (std::find(selection.scorer_ids.begin(), selection.scorer_ids.end(), info.id) ==
        selection.scorer_ids.end()) {
      continue;
    }
    if (!info.coco_texts) {
      seed_batch.push_back(&info);
    } else if (info.family == "coco") {
      coco_batch.push_back(&info);
    } else {
      model_batches.push_back({&info});  // GREEN, BERTScore: each on its own, after the coco ones
    }
  }

  // A model scorer may read seed-side inputs too (RadCliQ-v1: CheXbert embeddings).
  LazyScoringInputs inputs(reports, options,
                           /*seed_needed=*/!seed_batch.empty() || !model_batches.empty());
  std::vector<std::vector<MetricColumn>> columns(infos.size());
  std::vector<std::optional<ScorerRun>> runs(infos.size());
  std::size_t events_reported = 0;
  std::vector<const std::vector<const metrics::ScorerInfo*>*> batches = {&coco_batch};
  for (const auto& batch : model_batches) batches.push_back(&batch);
  batches.push_back(&seed_batch);
  for (const auto* batch : batches) {
    if (batch->empty()) continue;
    if (batch == &seed_batch) inputs.release_coco();
    std::vector<std::shared_ptr<const metrics::Scorer>> scorers;
    std::vector<const metrics::Scorer*> pointers;
    for (const metrics::ScorerInfo* info : *batch) {
      std::shared_ptr<const metrics::Scorer> prebuilt;
      if (options.prebuilt_scorers != nullptr) {
        const auto found = options.prebuilt_scorers->find(info->id);
        if (found != options.prebuilt_scorers->end()) prebuilt = found->second;
      }
      scorers.push_back(prebuilt ? std::move(prebuilt)
                                 : metrics::make_scorer(info->id, options.scorer_options));
      pointers.push_back(scorers.back().get());
    }
    // The preparations each scorer's signatures triggered are reported just before it, and
    // timed on their own.
    std::vector<std::size_t> events_after(batch->size());
    metrics::ScorerTimes times;
    // A scorer that runs alone with a job (GREEN's requests) announces it while it runs, and
    // withdraws it however it ends.
    struct JobAnnouncement {
      const EvaluateOptions& options;
      Job* job;
      JobAnnouncement(const EvaluateOptions& o, Job* j) : options(o), job(j) {
        if (job != nullptr && options.on_job) options.on_job(job, "");
      }
      ~JobAnnouncement() {
        if (job != nullptr && options.on_job) options.on_job(nullptr, "");
      }
    };
    std::vector<metrics::MetricScores> all_scores;
    {
      const JobAnnouncement announced(options, pointers.size() == 1 ? pointers[0]->job() : nullptr);
      all_scores = metrics::run_scorers(pointers, inputs, &times, [&](std::size_t k) {
        events_after[k] = inputs.events().size();
      });
    }
    for (std::size_t k = 0; k < batch->size(); ++k) {
      const metrics::ScorerInfo& info = *(*batch)[k];
      double seconds = times.seconds[k];
      for (; events_reported < events_after[k]; ++events_reported) {
        result.timings_seconds.push_back(inputs.events()[events_reported]);
        seconds -= inputs.events()[events_reported].second;
      }
      result.timings_seconds.emplace_back("score:" + info.id, std::max(0.0, seconds));
      const std::size_t slot = static_cast<std::size_t>(&info - infos.data());
      metrics::MetricScores& scores = all_scores[k];
      ScorerRun run{info.id, scorers[k], {}, {}};
      add_columns(info, scores, keep, columns[slot], run.selected_keys);
      if (info.needs == metrics::ScorerNeeds::kLabels) {
        result.clinical =
            clinical_details(inputs.release_labels(), scores.statistics, inputs.n_distinct());
        result.clinical->labeler_note = options.labeler->note();
      }
      run.statistics = std::move(scores.statistics);
      runs[slot] = std::move(run);
    }
    for (; events_reported < inputs.events().size(); ++events_reported) {
      result.timings_seconds.push_back(inputs.events()[events_reported]);
    }
  }
  std::size_t n_columns = 0;
  for (const auto& scorer_columns : columns) n_columns += scorer_columns.size();
  result.metrics.reserve(n_columns);
  for (std::size_t slot = 0; slot < infos.size(); ++slot) {
    for (auto& column : columns[slot]) result.metrics.push_back(std::move(column));
    if (runs[slot]) result.runs.push_back(std::move(*runs[slot]));
  }
  return result;
}

}  // namespace rrg::pipelines
