// Label agreement (see agreement.h). Each division follows score_labels.py's f1() in the same
// order of operations, so the figures equal the script's.
#include "rrg/chexpert/agreement.h"

#include <cstdio>
#include <stdexcept>

namespace rrg::chexpert {
namespace {

struct Prf {
  double precision, recall, f1;
};

Prf prf(std::size_t tp, std::size_t fp, std::size_t fn) {
  const double p = tp + fp > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0;
  const double r = tp + fn > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0.0;
  return {p, r, p + r > 0 ? 2 * p * r / (p + r) : 0.0};
}

}  // namespace

LabelAgreement compare_labels(const std::vector<LabelRow>& gold,
                              const std::vector<LabelRow>& predicted) {
  if (gold.size() != predicted.size()) {
    throw std::invalid_argument("compare_labels: " + std::to_string(gold.size()) +
                                " gold rows but " + std::to_string(predicted.size()) +
                                " predicted rows");
  }
  LabelAgreement out;
  out.n = gold.size();
  std::size_t total_tp = 0, total_fp = 0, total_fn = 0, exact = 0;
  double macro_sum = 0.0;
  const Label classes[] = {Label::kPositive, Label::kNegative, Label::kUncertain};
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    std::size_t tp = 0, fp = 0, fn = 0;
    std::array<std::size_t, 3> ctp{}, cfp{}, cfn{};
    for (std::size_t i = 0; i < gold.size(); ++i) {
      const Label g = gold[i][k], p = predicted[i][k];
      exact += g == p ? 1 : 0;
      if (p == Label::kPositive && g == Label::kPositive) {
        ++tp;
      } else if (p == Label::kPositive) {
        ++fp;
      } else if (g == Label::kPositive) {
        ++fn;
      }
      for (std::size_t c = 0; c < 3; ++c) {
        if (g == classes[c] && p == classes[c]) ++ctp[c];
        if (g != classes[c] && p == classes[c]) ++cfp[c];
        if (g == classes[c] && p != classes[c]) ++cfn[c];
      }
    }
    ObservationAgreement& a = out.per_observation[k];
    a.gold_positives = tp + fn;
    a.predicted_positives = tp + fp;
    const Prf positive = prf(tp, fp, fn);
    a.precision = positive.precision;
    a.recall = positive.recall;
    a.f1 = positive.f1;
    // sum(f * s for f, s in cls_stats.values()) / sup, classes in the order 1, 0, -1.
    double weighted = 0.0;
    std::size_t support = 0;
    for (std::size_t c = 0; c < 3; ++c) {
      const std::size_t s = ctp[c] + cfn[c];
      weighted += prf(ctp[c], cfp[c], cfn[c]).f1 * static_cast<double>(s);
      support += s;
    }
    if (support > 0) a.weighted_f1 = weighted / static_cast<double>(support);
    total_tp += tp;
    total_fp += fp;
    total_fn += fn;
    if (tp + fn > 0) {
      macro_sum += a.f1;
      ++out.macro_count;
    }
  }
  out.micro_f1 = prf(total_tp, total_fp, total_fn).f1;
  out.macro_f1 = out.macro_count > 0 ? macro_sum / static_cast<double>(out.macro_count) : 0.0;
  const std::size_t cells = gold.size() * kNumObservations;
  out.exact_match = cells > 0 ? static_cast<double>(exact) / static_cast<double>(cells) : 0.0;
  return out;
}

std::string format_agreement(const LabelAgreement& agreement) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %6s %6s %7s %7s %7s %7s\n", "Observation", "gold+",
                "pred+", "P", "R", "F1", "wF1");
  out += line;
  for (std::size_t k = 0; k < kNumObservations; ++k) {
    const ObservationAgreement& a = agreement.per_observation[k];
    char weighted[16] = "    n/a";
    if (a.weighted_f1) std::snprintf(weighted, sizeof weighted, "%7.4f", *a.weighted_f1);
    std::snprintf(line, sizeof line, "%-28s %6zu %6zu %7.4f %7.4f %7.4f %s\n",
                  std::string(kObservationNames[k]).c_str(), a.gold_positives,
                  a.predicted_positives, a.precision, a.recall, a.f1, weighted);
    out += line;
  }
  std::snprintf(line, sizeof line,
                "micro F1 (positive class) %.4f   macro F1 (%zu observations with gold positives) "
                "%.4f   4-way exact match %.4f   (%zu reports)\n",
                agreement.micro_f1, agreement.macro_count, agreement.macro_f1,
                agreement.exact_match, agreement.n);
  out += line;
  return out;
}

}  // namespace rrg::chexpert
