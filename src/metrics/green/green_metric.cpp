// GREEN as an rrg metric (see green_metric.h).
#include "rrg/metrics/green/green_metric.h"

#include <cmath>
#include <limits>

#include "rrg/metrics/python_math.h"

namespace rrg::metrics::green {
namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

// Statistics columns: green_metric_keys() in order. Keys: GREEN, GREEN_std, then the rest.
std::size_t column_of_key(std::size_t key) {
  return key == 0 ? 0 : key == 1 ? 0 : key - 1;
}
bool is_std(std::size_t key) {
  return key == 1;
}

}  // namespace

// The judge run as a Job: GreenScorer's counters and cancellation.
class GreenMetric::Progress final : public Job {
 public:
  explicit Progress(GreenScorer& scorer) : scorer_(scorer) {}
  JobProgress progress() const override {
    const GreenProgress p = scorer_.progress();
    JobProgress out;
    out.total = p.pairs;
    out.done = p.done;
    out.failed = p.request_errors + p.answer_errors;
    out.retries = p.retries;
    out.cached = p.from_cache;
    return out;
  }

 private:
  void on_cancel() override { scorer_.cancel(); }
  GreenScorer& scorer_;
};

GreenMetric::GreenMetric(GreenOptions options)
    : scorer_(std::make_unique<GreenScorer>(std::move(options))),
      progress_(std::make_unique<Progress>(*scorer_)) {}

GreenMetric::~GreenMetric() = default;

std::vector<std::string> GreenMetric::key_names() {
  std::vector<std::string> names;
  for (const auto& key : GreenMetric::static_keys()) names.push_back(key.name);
  return names;
}

std::vector<KeyInfo> GreenMetric::keys() const {
  return static_keys();
}

std::vector<KeyInfo> GreenMetric::static_keys() {
  std::vector<KeyInfo> keys;
  const auto& names = green_metric_keys();
  keys.push_back({names[0]});
  keys.push_back({kGreenStdKey, true, false});
  for (std::size_t k = 1; k < names.size(); ++k) keys.push_back({names[k]});
  return keys;
}

void GreenMetric::sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const {
  const std::string name = signature.name();
  signature = scorer_->signature(is_std(key) ? std::string(kGreenKey) : keys()[key].name);
  if (is_std(key)) {
    Signature renamed(name);
    for (const auto& [k, v] : signature.fields()) renamed.set(k, v);
    renamed.set("stat", "std-ddof0");
    signature = renamed;
  }
  signature.set("clean", inputs.cleaner(TextConvention::kCoco)).set("nrefs", "1");
}

SampleStatistics GreenMetric::statistics(ScoringInputs& inputs) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const TextCorpus& corpus = inputs.texts(TextConvention::kCoco);
  std::vector<std::string> references;
  references.reserve(corpus.size());
  for (const auto& refs : corpus.references) references.push_back(refs.empty() ? "" : refs.front());
  last_ = scorer_->score(corpus.hypotheses, references);
  if (last_.cancelled)
    throw std::runtime_error(
        "GREEN: cancelled; the answers received so far are cached, run the same command again to "
        "continue");
  const auto& names = green_metric_keys();
  SampleStatistics stats(last_.samples.size(), names.size());
  for (std::size_t i = 0; i < last_.samples.size(); ++i) {
    for (std::size_t c = 0; c < names.size(); ++c) {
      stats.row(i)[c] = last_.samples[i].value(names[c]).value_or(kNone);
    }
  }
  return stats;
}

void GreenMetric::aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                            double* out) const {
  const std::size_t n_keys = keys().size();
  std::vector<double> values;
  values.reserve(n);
  for (std::size_t key = 0; key < n_keys; ++key) {
    values.clear();
    const std::size_t column = column_of_key(key);
    for (std::size_t i = 0; i < n; ++i) {
      const double value = stats.row(rows[i])[column];
      if (!std::isnan(value)) values.push_back(value);
    }
    if (values.empty()) {
      out[key] = kNone;
    } else {
      out[key] = is_std(key) ? numpy_std(values) : numpy_mean(values);
    }
  }
}

void GreenMetric::sample_values(const double* row, double* out) const {
  const std::size_t n_keys = keys().size();
  for (std::size_t key = 0; key < n_keys; ++key) {
    out[key] = is_std(key) ? kNone : row[column_of_key(key)];
  }
}

KeyAggregation GreenMetric::aggregation(std::size_t key) const {
  KeyAggregation aggregation;
  if (is_std(key)) return aggregation;  // re-aggregated from the rows
  aggregation.kind = KeyAggregation::Kind::kMean;
  aggregation.column = column_of_key(key);
  return aggregation;
}

Job* GreenMetric::job() const {
  return progress_.get();
}

std::string GreenMetric::summary() const {
  return scorer_->summary_line();
}

}  // namespace rrg::metrics::green
