// Consistency checks and queries of ReportData (see report_data.h).
#include "rrg/report/report_data.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace rrg::report {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("HTML report: " + message);
}

}  // namespace

void check_report_data(const ReportData& data) {
  const std::size_t n = data.ids.size();
  require(!data.systems.empty(), "no system to report");
  require(data.references.empty() || data.references.size() == n,
          std::to_string(data.references.size()) + " references for " + std::to_string(n) + " ids");
  require(data.reference_labels.empty() || data.reference_labels.size() == n,
          "reference labels are not one per id");
  for (const SystemReport& s : data.systems) {
    const std::string who = "system \"" + s.name + "\": ";
    require(s.corpus.size() == data.metrics.size(),
            who + std::to_string(s.corpus.size()) + " corpus values for " +
                std::to_string(data.metrics.size()) + " metrics");
    require(s.per_sample.size() == data.metrics.size(),
            who + "per-sample columns are not one per metric");
    for (std::size_t m = 0; m < s.per_sample.size(); ++m) {
      require(s.per_sample[m].empty() || s.per_sample[m].size() == n,
              who + data.metrics[m].name + " has " + std::to_string(s.per_sample[m].size()) +
                  " per-sample values for " + std::to_string(n) + " ids");
    }
    require(s.predictions.empty() || s.predictions.size() == n,
            who + "predictions are not one per id");
    require(s.errors.empty() || s.errors.size() == n, who + "errors are not one per id");
    if (s.clinical) {
      require(s.clinical->labels.empty() || s.clinical->labels.size() == n,
              who + "labels are not one per id");
      require(s.clinical->errors.empty() || s.clinical->errors.size() == n,
              who + "clinical errors are not one per id");
    }
  }
}

std::optional<std::size_t> find_metric(const ReportData& data, const std::string& name) {
  for (std::size_t m = 0; m < data.metrics.size(); ++m) {
    if (data.metrics[m].name == name) return m;
  }
  return std::nullopt;
}

std::vector<std::size_t> worst_samples(const std::vector<double>& values, bool higher_is_better,
                                       std::size_t n) {
  std::vector<std::size_t> order;
  order.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isnan(values[i])) order.push_back(i);
  }
  const auto worse = [&](std::size_t a, std::size_t b) {
    return higher_is_better ? values[a] < values[b] : values[a] > values[b];
  };
  const std::size_t k = std::min(n, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      if (worse(a, b)) return true;
                      if (worse(b, a)) return false;
                      return a < b;
                    });
  order.resize(k);
  return order;
}

}  // namespace rrg::report
