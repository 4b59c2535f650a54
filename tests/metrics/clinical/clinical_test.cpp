// Clinical metrics against scikit-learn 1.2, computed at test time by clinical_oracle.py.
//
// Each case builds a prediction and a reference label matrix (random with a fixed seed, or made
// by hand to hit the edge cases: all-negative, all-positive and all-blank columns, one sample,
// uncertain-heavy, constant predictions), runs compute_clinical_metrics and the oracle on the
// same matrices, and compares every corpus key and every per-sample value within 1e-12. The
// oracle builds the key names itself, so the key set is checked too.
#include "rrg/metrics/clinical/clinical.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>
#include <set>
#include <sstream>

#include "rrg/core/errors.h"
#include "rrg/core/version.h"
#include "sklearn_oracle.h"
#include "support/test_support.h"

namespace {

using rrg::chexpert::kNumObservations;
using rrg::chexpert::Label;
using rrg::chexpert::LabelRow;
using rrg::metrics::ClinicalOptions;
using rrg::metrics::ClinicalResult;
using rrg::metrics::compute_clinical_metrics;

constexpr double kTolerance = 1e-12;  // the exactness requirement

struct Matrices {
  std::vector<LabelRow> pred;
  std::vector<LabelRow> ref;
};

// Label probabilities in thousandths: {1, 0, -1}, the rest blank.
struct Mix {
  int positive;
  int negative;
  int uncertain;
};

// Draws from std::mt19937 directly (its output is fixed by the standard; the std distributions
// are not), so the matrices are the same on every platform.
class LabelSource {
 public:
  explicit LabelSource(std::uint32_t seed) : engine_(seed) {}
  Label draw(const Mix& mix) {
    const int u = static_cast<int>(engine_() % 1000);
    if (u < mix.positive) return Label::kPositive;
    if (u < mix.positive + mix.negative) return Label::kNegative;
    if (u < mix.positive + mix.negative + mix.uncertain) return Label::kUncertain;
    return Label::kBlank;
  }
  bool chance(int thousandths) { return static_cast<int>(engine_() % 1000) < thousandths; }
  LabelRow row(const Mix& mix) {
    LabelRow r;
    for (auto& label : r) label = draw(mix);
    // No Finding is only ever 1 or blank (CheXbert convention).
    if (r[rrg::chexpert::kNoFinding] != Label::kPositive)
      r[rrg::chexpert::kNoFinding] = Label::kBlank;
    return r;
  }

 private:
  std::mt19937 engine_;
};

constexpr Mix kUniform{250, 250, 250};
constexpr Mix kSparse{100, 150, 50};  // mostly blank, like real reports
constexpr Mix kUncertainHeavy{100, 100, 600};

Matrices random_matrices(std::uint32_t seed, std::size_t n, Mix pred_mix, Mix ref_mix) {
  LabelSource source(seed);
  Matrices m;
  for (std::size_t i = 0; i < n; ++i) {
    m.pred.push_back(source.row(pred_mix));
    m.ref.push_back(source.row(ref_mix));
  }
  return m;
}

// Predictions that copy the reference 70% of the time: realistic agreement levels.
Matrices correlated(std::uint32_t seed, std::size_t n) {
  LabelSource source(seed);
  Matrices m;
  for (std::size_t i = 0; i < n; ++i) {
    const LabelRow ref = source.row(kSparse);
    LabelRow pred = source.row(kSparse);
    for (std::size_t k = 0; k < kNumObservations; ++k) {
      if (source.chance(700)) pred[k] = ref[k];
    }
    m.pred.push_back(pred);
    m.ref.push_back(ref);
  }
  return m;
}

// References of columns 0-6 hold no 1 (only 0, -1, blank): N/A under U-zeros; columns 0-2 also
// hold no -1, so they stay single-class under U-ones.
Matrices all_negative_columns() {
  Matrices m = random_matrices(11, 40, kUniform, kUniform);
  LabelSource source(12);
  for (auto& row : m.ref) {
    for (std::size_t k = 0; k < 7; ++k) {
      if (row[k] == Label::kPositive) row[k] = Label::kNegative;
      if (k < 3 && row[k] == Label::kUncertain) row[k] = Label::kBlank;
    }
  }
  // Column 0's predictions are all negative too, column 1's all positive.
  for (auto& row : m.pred) {
    row[0] = Label::kBlank;
    row[1] = Label::kPositive;
  }
  return m;
}

// References of columns 1, 4, 5, 9 are all 1 (N/A, specificity ill-defined); predictions of
// column 1 are all 1, of column 4 all 0.
Matrices all_positive_columns() {
  Matrices m = random_matrices(21, 35, kUniform, kUniform);
  for (auto& row : m.ref) {
    for (std::size_t k : {1, 4, 5, 9}) row[k] = Label::kPositive;
  }
  for (auto& row : m.pred) {
    row[1] = Label::kPositive;
    row[4] = Label::kNegative;
  }
  return m;
}

Matrices filled(std::size_t n, Label pred, Label ref) {
  Matrices m;
  LabelRow p, r;
  p.fill(pred);
  r.fill(ref);
  m.pred.assign(n, p);
  m.ref.assign(n, r);
  return m;
}

Matrices blank_references() {
  Matrices m = random_matrices(31, 25, kUniform, kUniform);
  for (auto& row : m.ref) row.fill(Label::kBlank);
  return m;
}

Matrices identical() {
  Matrices m = random_matrices(41, 50, kSparse, kSparse);
  m.pred = m.ref;
  return m;
}

// Constant prediction columns against mixed references: AUC 0.5 (one ROC threshold).
Matrices constant_predictions() {
  Matrices m = random_matrices(51, 30, kUniform, kUniform);
  for (auto& row : m.pred) {
    for (std::size_t k = 0; k < 5; ++k) row[k] = Label::kPositive;
    for (std::size_t k = 5; k < 10; ++k) row[k] = Label::kNegative;
  }
  return m;
}

struct OracleCase {
  std::string name;
  Matrices matrices;
  bool per_sample = true;  // ask the oracle for per-sample values (one sklearn call per row)
};

std::vector<OracleCase> oracle_cases() {
  return {
      {"random_uniform_n60", random_matrices(1, 60, kUniform, kUniform)},
      {"random_sparse_n300", random_matrices(2, 300, kSparse, kSparse), /*per_sample=*/false},
      {"correlated_n200", correlated(3, 200)},
      {"uncertain_heavy_n80", random_matrices(4, 80, kUncertainHeavy, kUncertainHeavy)},
      {"all_negative_columns", all_negative_columns()},
      {"all_positive_columns", all_positive_columns()},
      {"all_blank_n10", filled(10, Label::kBlank, Label::kBlank)},
      {"all_positive_n7", filled(7, Label::kPositive, Label::kPositive)},
      {"all_uncertain_vs_blank", filled(6, Label::kUncertain, Label::kBlank)},
      {"blank_references", blank_references()},
      {"single_sample_random", random_matrices(5, 1, kUniform, kUniform)},
      {"single_sample_blank", filled(1, Label::kBlank, Label::kBlank)},
      {"two_samples", random_matrices(6, 2, kUniform, kUniform)},
      {"identical", identical()},
      {"constant_predictions", constant_predictions()},
      // Over 8192 samples: numpy sums the per-sample scores in 8192-element blocks.
      {"random_n20000", correlated(7, 20000), /*per_sample=*/false},
  };
}

nlohmann::json to_json(const std::vector<LabelRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& row : rows) {
    nlohmann::json r = nlohmann::json::array();
    for (const Label label : row) {
      if (label == Label::kBlank) {
        r.push_back(nullptr);
      } else {
        r.push_back(static_cast<int>(label));
      }
    }
    out.push_back(r);
  }
  return out;
}

void expect_equal_to_oracle(const OracleCase& c, const nlohmann::json& oracle) {
  const Matrices& m = c.matrices;
  const ClinicalResult result =
      compute_clinical_metrics(m.pred, m.ref, ClinicalOptions{"rules@test"});

  // Same key set: the oracle builds the names itself from the documented scheme.
  const auto& expected = oracle.at("corpus");
  std::set<std::string> ours;
  for (const auto& metric : result.corpus) ours.insert(metric.name);
  std::set<std::string> theirs;
  for (const auto& item : expected.items()) theirs.insert(item.key());
  EXPECT_EQ(ours, theirs);

  std::size_t compared = 0;
  for (const auto& metric : result.corpus) {
    SCOPED_TRACE(metric.name);
    ASSERT_TRUE(expected.contains(metric.name));
    const auto& want = expected.at(metric.name);
    if (want.is_null()) {
      EXPECT_FALSE(metric.value.has_value()) << "sklearn: N/A, rrg: " << *metric.value;
      continue;
    }
    ASSERT_TRUE(metric.value.has_value()) << "sklearn: " << want << ", rrg: N/A";
    EXPECT_NEAR(*metric.value, want.get<double>(), kTolerance);
    ++compared;
  }
  EXPECT_GT(compared, 100u);
  for (const auto& row : result.table.rows) {
    EXPECT_EQ(row.valid(), row.auc.has_value()) << row.name();
  }

  ASSERT_EQ(result.samples.size(), m.pred.size());
  if (!c.per_sample) return;
  const auto& per_sample = oracle.at("per_sample");
  const auto names = rrg::metrics::clinical_sample_names();
  for (std::size_t i = 0; i < result.samples.size(); ++i) {
    const auto values = rrg::metrics::clinical_sample_values(result.samples[i]);
    ASSERT_EQ(values.size(), names.size());
    for (std::size_t k = 0; k < names.size(); ++k) {
      SCOPED_TRACE(names[k] + " sample " + std::to_string(i));
      EXPECT_NEAR(values[k], per_sample.at(names[k]).at(i).get<double>(), kTolerance);
    }
  }
}

// One oracle run for all cases (starting Python and importing sklearn dominates the cost); each
// case's failures carry its name.
TEST(ClinicalMetrics, EveryValueEqualsSklearnOnEveryCase) {
  const std::vector<OracleCase> cases = oracle_cases();
  nlohmann::json request = {{"mode", "metrics"}, {"cases", nlohmann::json::array()}};
  for (const auto& c : cases) {
    request["cases"].push_back({{"pred", to_json(c.matrices.pred)},
                                {"ref", to_json(c.matrices.ref)},
                                {"per_sample", c.per_sample}});
  }
  const auto answer = rrg::testing::run_sklearn_oracle(request);
  if (!answer.unavailable.empty()) GTEST_SKIP() << answer.unavailable;
  const nlohmann::json& oracle = answer.json;
  ASSERT_EQ(oracle.at("results").size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + cases[i].name);
    expect_equal_to_oracle(cases[i], oracle.at("results").at(i));
  }
}

TEST(ClinicalMetrics, EmptyInputIsDefinedWhereSklearnRaises) {
  const ClinicalResult result = compute_clinical_metrics({}, {}, ClinicalOptions{"rules@test"});
  EXPECT_TRUE(result.samples.empty());
  EXPECT_EQ(result.corpus.size(), rrg::metrics::clinical_metric_names().size());
  EXPECT_EQ(result.table.n_valid, 0u);
  for (const auto& metric : result.corpus) {
    SCOPED_TRACE(metric.name);
    const bool undefined = metric.name.rfind("chexpert_table_auc_", 0) == 0 ||
                           metric.name.rfind("chexpert_table_macro_", 0) == 0;
    if (undefined) {
      EXPECT_FALSE(metric.value.has_value());
    } else {
      ASSERT_TRUE(metric.value.has_value());
      EXPECT_EQ(*metric.value, 0.0);
    }
  }

  // What docs/metrics-clinical.md says sklearn does on zero samples.
  const auto answer = rrg::testing::run_sklearn_oracle({{"mode", "empty"}});
  if (!answer.unavailable.empty()) GTEST_SKIP() << answer.unavailable;
  const nlohmann::json& sk = answer.json;
  for (const char* call : {"precision_recall_fscore_support_micro",
                           "precision_recall_fscore_support_samples", "roc_auc_score"}) {
    SCOPED_TRACE(call);
    ASSERT_TRUE(sk.at(call).contains("error"));
    EXPECT_NE(sk.at(call).at("error").get<std::string>().find("ValueError: Found array with 0 "
                                                              "sample(s)"),
              std::string::npos);
  }
  EXPECT_EQ(sk.at("f1_score").at("value").get<double>(), 0.0);
  EXPECT_EQ(sk.at("recall_score").at("value").get<double>(), 0.0);
}

TEST(ClinicalMetrics, MismatchedLengthsAreAnInputError) {
  const std::vector<LabelRow> one(1, rrg::chexpert::blank_row());
  try {
    compute_clinical_metrics(one, {}, ClinicalOptions{});
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1 prediction label rows but 0 reference"),
              std::string::npos)
        << e.what();
  }
}

TEST(ClinicalMetrics, ValueOutsideTheLabelEnumIsAnInputError) {
  std::vector<LabelRow> pred(2, rrg::chexpert::blank_row());
  const std::vector<LabelRow> ref(2, rrg::chexpert::blank_row());
  pred[1][4] = static_cast<Label>(7);
  try {
    compute_clinical_metrics(pred, ref, ClinicalOptions{});
    FAIL() << "expected InputError";
  } catch (const rrg::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("prediction label row 1, observation \"Edema\""),
              std::string::npos)
        << e.what();
  }
}

TEST(ClinicalMetrics, KeyNamesAreUniqueAndDocumentedShape) {
  const auto names = rrg::metrics::clinical_metric_names();
  EXPECT_EQ(names.size(), 131u);  // 36 label averages + 6 example-based + 5 table macro + 84
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  EXPECT_EQ(names.front(), "chexpert_micro_precision_14_uzeros");
  EXPECT_EQ(names.back(), "chexpert_table_n_neg_no_finding");
  for (const char* key : {"chexpert_micro_f1_14_uzeros", "chexpert_macro_precision_5_uones",
                          "chexpert_weighted_recall_5_uzeros", "chexpert_example_f1_uzeros",
                          "chexpert_table_auc_pleural_effusion", "chexpert_table_macro_auc",
                          "chexpert_table_n_valid"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), key), names.end()) << key;
  }
}

TEST(ClinicalMetrics, DocsListEveryKey) {
  const std::string docs =
      rrg::testing::read_file(rrg::testing::source_dir() + "/docs/metrics-clinical.md");
  for (const auto& name : rrg::metrics::clinical_metric_names()) {
    EXPECT_NE(docs.find("`" + name + "`"), std::string::npos) << name;
  }
  for (const char* name : {"n_agree", "n_disagree"}) {
    EXPECT_NE(docs.find("`" + std::string(name) + "`"), std::string::npos) << name;
  }
}

TEST(ClinicalMetrics, SignaturesNameTheLabelerAverageAndPolicy) {
  const auto m = random_matrices(8, 5, kUniform, kUniform);
  const auto result = compute_clinical_metrics(m.pred, m.ref, ClinicalOptions{"rules@3f2a9c1d"});
  const std::string version = rrg::version();
  const auto sig = [&](const char* key) { return result.find(key)->signature.format(); };
  EXPECT_EQ(sig("chexpert_micro_f1_14_uzeros"),
            "F1-14|labeler:rules@3f2a9c1d|avg:micro|unc:zeros|version:" + version);
  EXPECT_EQ(sig("chexpert_macro_precision_5_uones"),
            "Precision-5|labeler:rules@3f2a9c1d|avg:macro|unc:ones|version:" + version);
  EXPECT_EQ(sig("chexpert_example_recall_uones"),
            "Recall-14|labeler:rules@3f2a9c1d|avg:samples|unc:ones|version:" + version);
  EXPECT_EQ(sig("chexpert_table_auc_lung_opacity"),
            "AUC|labeler:rules@3f2a9c1d|obs:lung_opacity|unc:zeros|version:" + version);
  EXPECT_EQ(sig("chexpert_table_macro_specificity"),
            "Specificity|labeler:rules@3f2a9c1d|obs:valid|avg:macro|unc:zeros|version:" + version);
  EXPECT_EQ(result.find("no_such_key"), nullptr);
}

TEST(ClinicalMetrics, PerSampleAgreementCountsRawLabels) {
  LabelRow pred = rrg::chexpert::blank_row();
  LabelRow ref = rrg::chexpert::blank_row();
  pred[0] = Label::kUncertain;  // -1 vs blank: disagree (even though both are 0 under U-zeros)
  pred[1] = Label::kPositive;
  ref[1] = Label::kPositive;  // agree
  pred[2] = Label::kNegative;
  ref[2] = Label::kUncertain;  // disagree
  const auto result = compute_clinical_metrics({pred}, {ref}, ClinicalOptions{});
  ASSERT_EQ(result.samples.size(), 1u);
  EXPECT_EQ(result.samples[0].n_disagree, 2);
  EXPECT_EQ(result.samples[0].n_agree, 12);
}

TEST(ClinicalMetrics, BinarizeAppliesThePolicy) {
  LabelRow row = rrg::chexpert::blank_row();
  row[0] = Label::kPositive;
  row[1] = Label::kNegative;
  row[2] = Label::kUncertain;
  const auto zeros = rrg::metrics::binarize(row, rrg::metrics::UncertainPolicy::kZeros);
  const auto ones = rrg::metrics::binarize(row, rrg::metrics::UncertainPolicy::kOnes);
  EXPECT_EQ((std::vector<int>{zeros[0], zeros[1], zeros[2], zeros[3]}),
            (std::vector<int>{1, 0, 0, 0}));
  EXPECT_EQ((std::vector<int>{ones[0], ones[1], ones[2], ones[3]}), (std::vector<int>{1, 0, 1, 0}));
}

TEST(ClinicalMetrics, FormattedTableShowsNotApplicable) {
  // Only Cardiomegaly has both classes in the references.
  std::vector<LabelRow> pred(2, rrg::chexpert::blank_row());
  std::vector<LabelRow> ref(2, rrg::chexpert::blank_row());
  ref[0][1] = Label::kPositive;
  pred[0][1] = Label::kPositive;
  const auto result = compute_clinical_metrics(pred, ref, ClinicalOptions{});
  const std::string text = rrg::metrics::format_clinical_table(result.table);
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    lines.emplace_back(std::istream_iterator<std::string>(words),
                       std::istream_iterator<std::string>());
  }
  ASSERT_EQ(lines.size(), 16u) << text;  // header, 14 observations, macro
  EXPECT_EQ(lines[0], (std::vector<std::string>{"Observation", "AUC", "F1", "Recall", "Specificity",
                                                "N_pos", "N_neg"}));
  EXPECT_EQ(lines[2], (std::vector<std::string>{"Cardiomegaly", "1.0000", "1.0000", "1.0000",
                                                "1.0000", "1", "1"}));
  EXPECT_EQ(lines[5],
            (std::vector<std::string>{"Edema", "N/A", "0.0000", "0.0000", "1.0000", "0", "2"}));
  EXPECT_EQ(lines[15], (std::vector<std::string>{"Macro", "(1", "valid)", "1.0000", "1.0000",
                                                 "1.0000", "1.0000"}));
}

}  // namespace
