// pycocoevalcap ROUGE-L (see coco_rouge_scorer.h). Float operations follow Rouge.calc_score.
#include "rrg/metrics/lexical/coco_rouge_scorer.h"

#include <algorithm>

#include "rrg/metrics/lexical/lcs.h"
#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/python_math.h"

namespace rrg::metrics {
namespace {

class CocoRougeWorker final : public SampleWorker {
 public:
  void compute(const SampleView& sample, double* row) override {
    const TokenSpan hyp = sample.hypothesis();
    double precision_max = 0.0, recall_max = 0.0;
    for (std::size_t r = 0; r < sample.reference_count(); ++r) {
      const TokenSpan ref = sample.reference(r);
      const auto common = static_cast<double>(lcs_.length(ref, hyp));
      precision_max = std::max(precision_max, common / static_cast<double>(hyp.size));
      recall_max = std::max(recall_max, common / static_cast<double>(ref.size));
    }
    double score = 0.0;
    if (precision_max != 0.0 && recall_max != 0.0) {
      score = ((1.0 + beta_squared_) * precision_max * recall_max) /
              (recall_max + beta_squared_ * precision_max);
    }
    row[0] = score;
  }

 private:
  const double beta_squared_ = python_pow(1.2, 2.0);  // self.beta**2
  LcsCalculator lcs_;
};

}  // namespace

CocoRougeScorer::CocoRougeScorer()
    : RowLoopScorer(TextConvention::kCoco, Tokenizer::kSplitOnSpace, 1) {}

std::unique_ptr<SampleWorker> CocoRougeScorer::make_worker() const {
  return std::make_unique<CocoRougeWorker>();
}

std::vector<KeyInfo> CocoRougeScorer::keys() const {
  return {{"ROUGE_L"}};
}

void CocoRougeScorer::sign(std::size_t, ScoringInputs& inputs, Signature& signature) const {
  signature.set("conv", "pycocoevalcap-1.2")
      .set("tok", "split-space")
      .set("beta", "1.2")
      .set("multiref", "max-p-max-r");
  sign_text_inputs(inputs, TextConvention::kCoco, false, signature);
}

SampleStatistics CocoRougeScorer::statistics(ScoringInputs& inputs) const {
  return loop_statistics(*this, inputs);
}

}  // namespace rrg::metrics
