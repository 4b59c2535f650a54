// RadCliQ-v1 composite (see radcliq.h).
#include "rrg/metrics/radgraph/radcliq.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "rrg/metrics/python_math.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics::radgraph {
namespace {

constexpr std::size_t kCompositeColumn = kRadCliqFeatures;  // after the four features

// The per-sample values of one component's key.
std::vector<double> component_values(const RadCliqComponentScorer& component,
                                     ScoringInputs& inputs) {
  const SampleStatistics stats = component.scorer->statistics(inputs);
  std::vector<double> out(component.scorer->keys().size());
  std::vector<double> values(stats.size());
  for (std::size_t i = 0; i < stats.size(); ++i) {
    component.scorer->sample_values(stats.row(i), out.data());
    values[i] = out[component.key];
  }
  return values;
}

void check_component(const RadCliqComponentScorer& component, const char* what) {
  if (!component.scorer) {
    throw std::invalid_argument(std::string("RadCliQ-v1: no ") + what + " scorer");
  }
  if (component.key >= component.scorer->keys().size()) {
    throw std::invalid_argument(std::string("RadCliQ-v1: the ") + what + " scorer has no key " +
                                std::to_string(component.key));
  }
}

// A component's signature as one field value ('|' would split the composite's own signature).
std::string nested_signature(const RadCliqComponentScorer& component, ScoringInputs& inputs) {
  Signature signature(component.scorer->keys()[component.key].name);
  component.scorer->sign(component.key, inputs, signature);
  std::string text = signature.format();
  for (char& c : text) {
    if (c == '|') c = ',';
  }
  return "[" + text + "]";
}

}  // namespace

double radcliq_v1(const RadCliqComponents& components, const RadCliqV1Model& model) {
  const double x[kRadCliqFeatures] = {components.radgraph, components.bertscore, components.semb,
                                      components.bleu2};
  double score = 0.0;
  for (std::size_t k = 0; k < kRadCliqFeatures; ++k) {
    // StandardScaler.transform: (x - mean_) / scale_.
    score += ((x[k] - model.mean[k]) / model.scale[k]) * model.coefficient[k];
  }
  return score + 1.0 * model.intercept;
}

double radcliq_v1_corpus(const std::vector<double>& per_pair) {
  if (per_pair.empty()) return std::numeric_limits<double>::quiet_NaN();
  return 1.0 / numpy_mean(per_pair);
}

RadCliqV1Metric::RadCliqV1Metric(RadCliqV1Options options) : options_(std::move(options)) {
  check_component(options_.radgraph, "RadGraph");
  check_component(options_.bertscore, "BERTScore");
  check_component(options_.semb, "CheXbert similarity");
  check_component(options_.bleu2, "BLEU-2");
  if (options_.model == nullptr) options_.model = &radcliq_v1_radeval_model();
}

std::vector<KeyInfo> RadCliqV1Metric::keys() const {
  return {{kRadCliqV1Name}};
}

void RadCliqV1Metric::sign(std::size_t, ScoringInputs& inputs, Signature& signature) const {
  signature.set("conv", "radcliq-v1")
      .set("coefs", options_.model->name)
      .set("avg", "1/np.mean")
      .set("radgraph", nested_signature(options_.radgraph, inputs))
      .set("bertscore", nested_signature(options_.bertscore, inputs))
      .set("semb", nested_signature(options_.semb, inputs))
      .set("bleu2", nested_signature(options_.bleu2, inputs))
      .set("nrefs", "1");
}

SampleStatistics RadCliqV1Metric::statistics(ScoringInputs& inputs) const {
  const std::vector<double> radgraph = component_values(options_.radgraph, inputs);
  const std::vector<double> bertscore = component_values(options_.bertscore, inputs);
  const std::vector<double> semb = component_values(options_.semb, inputs);
  const std::vector<double> bleu2 = component_values(options_.bleu2, inputs);
  const std::size_t n = inputs.size();
  if (radgraph.size() != n || bertscore.size() != n || semb.size() != n || bleu2.size() != n) {
    throw std::runtime_error(
        "RadCliQ-v1: the components scored " + std::to_string(radgraph.size()) + " (RadGraph), " +
        std::to_string(bertscore.size()) + " (BERTScore), " + std::to_string(semb.size()) +
        " (CheXbert similarity) and " + std::to_string(bleu2.size()) + " (BLEU-2) of " +
        std::to_string(n) + " pairs");
  }
  SampleStatistics stats(n, kRadCliqFeatures + 1);
  for (std::size_t i = 0; i < n; ++i) {
    RadCliqComponents components;
    components.radgraph = radgraph[i];
    components.bertscore = bertscore[i];
    // RadEval: np.where(norms > 0, dot / norms, 0.0); rrg's similarity is NaN for a zero norm.
    components.semb = std::isnan(semb[i]) ? 0.0 : semb[i];
    components.bleu2 = bleu2[i];
    double* row = stats.row(i);
    row[0] = components.radgraph;
    row[1] = components.bertscore;
    row[2] = components.semb;
    row[3] = components.bleu2;
    row[kCompositeColumn] = radcliq_v1(components, *options_.model);
  }
  return stats;
}

void RadCliqV1Metric::aggregate(const SampleStatistics& stats, const std::size_t* rows,
                                std::size_t n, double* out) const {
  std::vector<double> composite(n);
  for (std::size_t i = 0; i < n; ++i) composite[i] = stats.row(rows[i])[kCompositeColumn];
  out[0] = radcliq_v1_corpus(composite);
}

void RadCliqV1Metric::sample_values(const double* row, double* out) const {
  out[0] = row[kCompositeColumn];
}

KeyAggregation RadCliqV1Metric::aggregation(std::size_t) const {
  return {};  // 1 / mean is no closed form of the driver's: aggregate() computes it
}

Job* RadCliqV1Metric::job() const {
  return options_.radgraph.scorer->job();
}

void RadCliqV1Metric::preload() const {
  for (const auto* component :
       {&options_.radgraph, &options_.bertscore, &options_.semb, &options_.bleu2}) {
    component->scorer->preload();
  }
}

}  // namespace rrg::metrics::radgraph
