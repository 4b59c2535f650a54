// GREEN summaries (see green_summary.h): NumPy's mean and std, exactly.
#include "rrg/metrics/green/green_summary.h"

#include <cmath>
#include <limits>

#include "rrg/metrics/python_math.h"

namespace rrg::metrics::green {
namespace {

std::optional<std::size_t> sub_category_index(const std::string& key) {
  const auto& table = green_sub_categories();
  for (std::size_t k = 0; k < table.size(); ++k) {
    if (key == table[k].key) return k;
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& green_metric_keys() {
  static const std::vector<std::string> kKeys = [] {
    std::vector<std::string> keys = {kGreenKey};
    for (const auto& sub : green_sub_categories()) keys.emplace_back(sub.key);
    keys.emplace_back(kGreenMatchedKey);
    keys.emplace_back(kGreenInsignificantKey);
    return keys;
  }();
  return kKeys;
}

std::optional<double> GreenSample::value(const std::string& key) const {
  if (!green) return std::nullopt;
  if (key == kGreenKey) return green;
  if (key == kGreenMatchedKey) return static_cast<double>(counts.matched);
  if (key == kGreenInsignificantKey) return static_cast<double>(counts.insignificant_total());
  if (const auto k = sub_category_index(key)) return static_cast<double>(counts.significant[*k]);
  return std::nullopt;
}

double GreenSummary::value(const std::string& key) const {
  if (key == kGreenKey) return mean;
  if (key == kGreenMatchedKey) return matched_mean;
  if (key == kGreenInsignificantKey) return insignificant_mean;
  if (const auto k = sub_category_index(key)) return significant_mean[*k];
  return std::numeric_limits<double>::quiet_NaN();
}

GreenSummary summarize_green(const std::vector<GreenSample>& samples) {
  GreenSummary out;
  out.n_samples = samples.size();
  std::vector<double> scores;
  std::array<std::vector<double>, kGreenSubCategoryCount> significant;
  std::vector<double> matched, insignificant;
  for (const auto& sample : samples) {
    if (!sample.green) continue;
    scores.push_back(*sample.green);
    for (std::size_t k = 0; k < kGreenSubCategoryCount; ++k) {
      significant[k].push_back(static_cast<double>(sample.counts.significant[k]));
    }
    matched.push_back(static_cast<double>(sample.counts.matched));
    insignificant.push_back(static_cast<double>(sample.counts.insignificant_total()));
  }
  out.n_scored = scores.size();
  out.n_excluded = samples.size() - scores.size();
  out.mean = numpy_mean(scores);
  out.std = numpy_std(scores);
  for (std::size_t k = 0; k < kGreenSubCategoryCount; ++k) {
    out.significant_mean[k] = numpy_mean(significant[k]);
  }
  out.matched_mean = numpy_mean(matched);
  out.insignificant_mean = numpy_mean(insignificant);
  return out;
}

nlohmann::ordered_json green_sample_json(const GreenSample& sample) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& key : green_metric_keys()) {
    const auto value = sample.value(key);
    out[key] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  }
  if (!sample.error.empty()) out["error"] = sample.error;
  out["answer"] = sample.answer;
  if (!sample.reasoning.empty()) out["reasoning"] = sample.reasoning;
  out["finish_reason"] = sample.finish_reason;
  out["from_cache"] = sample.from_cache;
  return out;
}

}  // namespace rrg::metrics::green
