// pycocoevalcap ROUGE-L (see coco_rouge_scorer.h). Float operations follow Rouge.calc_score.
#include "rrg/metrics/lexical/coco_rouge_scorer.h"

#include <algorithm>

#include "rrg/metrics/lexical/lcs.h"
#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/python_math.h"

namespace rrg::metrics {

std::vector<std::string> CocoRougeScorer::names() const {
  return {"ROUGE_L"};
}

MetricScores CocoRougeScorer::score(const TextCorpus& corpus) const {
  MetricScores out;
  out.names = names();
  out.corpus.assign(1, 0.0);
  out.per_sample.assign(1, std::vector<double>(corpus.size()));
  Signature signature(out.names[0]);
  signature.set("conv", "pycocoevalcap-1.2")
      .set("tok", "split-space")
      .set("clean", "")  // filled in by the pipeline that cleaned the texts
      .set("beta", "1.2")
      .set("multiref", "max-p-max-r")
      .set("nrefs", reference_count_label(corpus));
  out.signatures.push_back(signature);
  if (corpus.size() == 0) return out;

  const double beta_squared = python_pow(1.2, 2.0);  // self.beta**2
  CorpusTokenizer tokenizer(Tokenizer::kSplitOnSpace);
  TokenChunk chunk;
  LcsCalculator lcs;
  std::vector<double>& scores = out.per_sample[0];
  for (std::size_t first = 0; first < corpus.size(); first += kChunkSamples) {
    const std::size_t last = std::min(corpus.size(), first + kChunkSamples);
    tokenizer.tokenize(corpus, first, last, chunk);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const TokenSpan hyp = chunk.hypothesis(i);
      double precision_max = 0.0, recall_max = 0.0;
      for (std::size_t r = 0; r < chunk.reference_count(i); ++r) {
        const TokenSpan ref = chunk.reference(i, r);
        const auto common = static_cast<double>(lcs.length(ref, hyp));
        precision_max = std::max(precision_max, common / static_cast<double>(hyp.size));
        recall_max = std::max(recall_max, common / static_cast<double>(ref.size));
      }
      double score = 0.0;
      if (precision_max != 0.0 && recall_max != 0.0) {
        score = ((1.0 + beta_squared) * precision_max * recall_max) /
                (recall_max + beta_squared * precision_max);
      }
      scores[first + i] = score;
    }
  }
  out.corpus[0] = numpy_mean(scores);
  return out;
}

}  // namespace rrg::metrics
