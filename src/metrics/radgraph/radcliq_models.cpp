// RadCliQ-v1's standardisation and linear model, as data (see radcliq.h). Feature order
// everywhere: radgraph_combined, bertscore, semb_score, bleu_score (CXR-Report-Metric's COLS).
#include <cstring>

#include "rrg/metrics/radgraph/radcliq.h"

namespace rrg::metrics::radgraph {

const RadCliqV1Model& radcliq_v1_radeval_model() {
  // RadEval (github.com/jbdel/RadEval) radeval/metrics/RadCliQv1/radcliq.py, CompositeMetric:
  // StandardScaler mean_ / scale_ and `coefs` (the last one the intercept), as printed there.
  static const RadCliqV1Model model{
      "radeval",
      "jbdel/RadEval radeval/metrics/RadCliQv1/radcliq.py CompositeMetric.__init__",
      {0.53792312, 0.61757256, 0.76479421, 0.44738335},
      {0.30282584, 0.22430938, 0.25394391, 0.29892717},
      {-3.77083683e-01, -3.70300100e-01, -2.52616218e-01, 4.31504841e-12},
      2.46655256e-10};
  return model;
}

const RadCliqV1Model& radcliq_v1_published_model() {
  // rajpurkarlab/CXR-Report-Metric CXRMetric/radcliq-v1.pkl (git blob
  // 9d629d6f03ebdf9fd57a1e3cb9c8107573734759, 671 bytes): a CompositeMetric whose `scaler` is a
  // StandardScaler fitted on 160 samples and whose `coefs` end with the intercept; the values
  // below are Python's repr() of the unpickled float64s.
  static const RadCliqV1Model model{
      "cxr-report-metric",
      "rajpurkarlab/CXR-Report-Metric CXRMetric/radcliq-v1.pkl",
      {0.5379231241355762, 0.6175725628125001, 0.7647942121140658, 0.44738335396242174},
      {0.3028258411486429, 0.22430938459304575, 0.2539439110169773, 0.2989271671041838},
      {-0.37708368261038905, -0.37030009974480316, -0.25261621789593225, 4.315048405024756e-12},
      2.466552561323256e-10};
  return model;
}

const RadCliqV1Model* radcliq_v1_model(const std::string& name) {
  if (name == radcliq_v1_radeval_model().name) return &radcliq_v1_radeval_model();
  if (name == radcliq_v1_published_model().name) return &radcliq_v1_published_model();
  return nullptr;
}

}  // namespace rrg::metrics::radgraph
