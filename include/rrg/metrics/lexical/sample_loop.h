// Stage 1 of the lexical scorers whose samples are independent (BLEU, ROUGE-L, METEOR): one loop
// over the corpus, chunk by chunk, that tokenizes each chunk once under the scorer's tokenizer
// and asks the scorer's worker for each sample's statistics row. The loop, the allocation of the
// statistics and the chunking live here once; a scorer only says how one sample becomes a row.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"

namespace rrg::metrics {

// One sample as a worker sees it: its token ids (under the loop's tokenizer, resolved by
// `vocabulary`) and its texts.
struct SampleView {
  const TokenChunk* chunk = nullptr;
  std::size_t chunk_index = 0;  // position within the chunk
  const TokenVocabulary* vocabulary = nullptr;
  std::string_view hypothesis_text;
  const std::vector<std::string>* reference_texts = nullptr;

  TokenSpan hypothesis() const { return chunk->hypothesis(chunk_index); }
  std::size_t reference_count() const { return chunk->reference_count(chunk_index); }
  TokenSpan reference(std::size_t r) const { return chunk->reference(chunk_index, r); }
};

// A scorer's per-sample computation, with its scratch state (LCS tables, caches); one per loop.
class SampleWorker {
 public:
  virtual ~SampleWorker() = default;
  // Writes the statistics row of `sample` (width numbers).
  virtual void compute(const SampleView& sample, double* row) = 0;
};

// The statistics of every sample of `corpus`: `width` numbers per sample, each row from a worker
// made by `make_worker`, texts tokenized with `tokenizer` (Tokenizer::kNone: not tokenized, the
// worker reads the texts).
SampleStatistics sample_statistics(
    const TextCorpus& corpus, Tokenizer tokenizer, std::size_t width,
    const std::function<std::unique_ptr<SampleWorker>()>& make_worker);

// The signature fields every lexical scorer sets from its inputs: `clean` (the convention's
// cleaner) and `nrefs` (the number of references when every sample has the same, else "var";
// "1" when the scorer reads the first reference only).
void sign_text_inputs(ScoringInputs& inputs, TextConvention convention, bool first_reference_only,
                      Signature& signature);

}  // namespace rrg::metrics
