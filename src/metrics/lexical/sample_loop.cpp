// The lexical sample loop (see sample_loop.h).
#include "rrg/metrics/lexical/sample_loop.h"

#include <algorithm>

namespace rrg::metrics {

SampleStatistics sample_statistics(
    const TextCorpus& corpus, Tokenizer tokenizer, std::size_t width,
    const std::function<std::unique_ptr<SampleWorker>()>& make_worker) {
  SampleStatistics stats(corpus.size(), width);
  if (corpus.size() == 0) return stats;
  const std::unique_ptr<SampleWorker> worker = make_worker();
  CorpusTokenizer corpus_tokenizer(tokenizer);
  TokenChunk chunk;
  SampleView view;
  view.chunk = &chunk;
  view.vocabulary = &corpus_tokenizer.vocabulary();
  for (std::size_t first = 0; first < corpus.size(); first += kChunkSamples) {
    const std::size_t last = std::min(corpus.size(), first + kChunkSamples);
    corpus_tokenizer.tokenize(corpus, first, last, chunk);
    for (std::size_t i = first; i < last; ++i) {
      view.chunk_index = i - first;
      view.hypothesis_text = corpus.hypotheses[i];
      view.reference_texts = &corpus.references[i];
      worker->compute(view, stats.row(i));
    }
  }
  return stats;
}

void sign_text_inputs(ScoringInputs& inputs, TextConvention convention, bool first_reference_only,
                      Signature& signature) {
  signature.set("clean", inputs.cleaner(convention));
  signature.set("nrefs",
                first_reference_only ? "1" : reference_count_label(inputs.texts(convention)));
}

}  // namespace rrg::metrics
