// Stage 1 of the lexical scorers: one loop over a corpus, chunk by chunk, that tokenizes each
// chunk once under one tokenizer and hands it to every scorer using that tokenizer -- coco BLEU
// and CIDEr-D share Python str.split() of the coco texts, NLTK BLEU and METEOR share
// lower().split() of the seed texts (run_scorers(), rrg/metrics/driver.h, groups them). The loop,
// the chunking and the threads live here once; a scorer only says what it does with a chunk.
//
// Threads: chunks are spread over lanes (rrg/core/parallel.h), each lane with its own tokenizer
// and vocabulary, so a token id means the same token within one lane only. That is all a
// per-sample statistic needs (BLEU, ROUGE-L and METEOR compare ids within one sample); a scorer
// whose statistics need identity across samples (CIDEr-D's document frequencies) reconciles its
// lanes exactly in finish(). Memory is bounded: a lane holds one chunk's tokens at a time.
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

// A scorer's per-sample computation, with its scratch state (LCS tables, caches); one per lane.
class SampleWorker {
 public:
  virtual ~SampleWorker() = default;
  // Writes the statistics row of `sample` (width numbers).
  virtual void compute(const SampleView& sample, double* row) = 0;
};

// One tokenized chunk: samples [first, first + tokens->size()) of `corpus`, tokenized by lane
// `lane` (ids resolved by that lane's `vocabulary`).
struct LoopChunk {
  std::size_t index = 0;  // chunk number
  std::size_t first = 0;  // first sample
  std::size_t lane = 0;
  const TokenChunk* tokens = nullptr;
  const TokenVocabulary* vocabulary = nullptr;
  const TextCorpus* corpus = nullptr;

  std::size_t size() const { return tokens->size(); }
  // The view of sample first + i.
  SampleView sample(std::size_t i) const;
};

class SampleLoop;

// One scorer's work in one loop. consume() is called once per chunk, concurrently for chunks of
// different lanes but never twice at once for the same lane; finish() once, after every chunk.
class LoopConsumer {
 public:
  virtual ~LoopConsumer() = default;
  virtual void consume(const LoopChunk& chunk) = 0;
  // The statistics of every sample (a second pass may use `loop`'s lanes).
  virtual SampleStatistics finish(SampleLoop& loop) = 0;
};

// What a scorer needs to take part in a loop (Scorer::loop_scorer()).
class LoopScorer {
 public:
  virtual ~LoopScorer() = default;
  // The texts it reads and how it tokenizes them (Tokenizer::kNone: it reads the texts itself).
  virtual TextConvention loop_convention() const = 0;
  virtual Tokenizer loop_tokenizer() const = 0;
  // Its consumer for one loop over `corpus` with `lanes` lanes.
  virtual std::unique_ptr<LoopConsumer> make_consumer(const TextCorpus& corpus,
                                                      std::size_t lanes) const = 0;
};

class SampleLoop {
 public:
  // A loop over `corpus` tokenized with `tokenizer` on up to `threads` lanes.
  SampleLoop(const TextCorpus& corpus, Tokenizer tokenizer, std::size_t threads);
  ~SampleLoop();
  SampleLoop(const SampleLoop&) = delete;
  SampleLoop& operator=(const SampleLoop&) = delete;

  // Tokenizes every chunk once and gives it to every consumer, then returns each consumer's
  // finish(), in order. `seconds`, when given, receives each consumer's wall seconds: the
  // parallel pass divided in proportion to the consumers' own consume() time (tokenizing shared
  // in the same proportion), plus its finish().
  std::vector<SampleStatistics> run(const std::vector<LoopConsumer*>& consumers,
                                    std::vector<double>* seconds = nullptr);

  // For finish(): lanes, chunks, who tokenized each chunk, and tokenizing a chunk again.
  std::size_t lanes() const { return lanes_.size(); }
  std::size_t chunks() const { return owners_.size(); }
  std::size_t chunk_first(std::size_t chunk) const { return chunk * chunk_samples_; }
  std::size_t chunk_size(std::size_t chunk) const;
  std::size_t owner(std::size_t chunk) const { return owners_[chunk]; }
  // Tokenizes chunk `chunk` with lane `lane`'s tokenizer into `out`; with lane = owner(chunk)
  // the ids equal those consume() saw. One thread at a time per lane.
  void tokenize(std::size_t lane, std::size_t chunk, TokenChunk& out);
  const TokenVocabulary& vocabulary(std::size_t lane) const;
  const TextCorpus& corpus() const { return corpus_; }

 private:
  struct Lane;
  const TextCorpus& corpus_;
  std::size_t chunk_samples_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::vector<std::size_t> owners_;
};

// A consumer writing `width` numbers per sample of an `n_samples` corpus, each row computed by
// the lane's worker from make_worker() (one per lane).
std::unique_ptr<LoopConsumer> row_consumer(
    std::size_t n_samples, std::size_t width, std::size_t lanes,
    const std::function<std::unique_ptr<SampleWorker>()>& make_worker);

// The statistics of `scorer` alone: its convention's texts of `inputs`, inputs.threads() lanes.
SampleStatistics loop_statistics(const LoopScorer& scorer, ScoringInputs& inputs);

// The loop view of a scorer whose statistics row is computed sample by sample (BLEU, ROUGE-L,
// METEOR): it names its texts, tokenizer and row width and makes one worker per lane.
class RowLoopScorer : public LoopScorer {
 public:
  RowLoopScorer(TextConvention convention, Tokenizer tokenizer, std::size_t width)
      : convention_(convention), tokenizer_(tokenizer), width_(width) {}
  TextConvention loop_convention() const override { return convention_; }
  Tokenizer loop_tokenizer() const override { return tokenizer_; }
  std::unique_ptr<LoopConsumer> make_consumer(const TextCorpus& corpus,
                                              std::size_t lanes) const override;

 protected:
  virtual std::unique_ptr<SampleWorker> make_worker() const = 0;

 private:
  TextConvention convention_;
  Tokenizer tokenizer_;
  std::size_t width_;
};

// The statistics of every sample of `corpus`: `width` numbers per sample, each row from a worker
// made by `make_worker` (one per lane), texts tokenized with `tokenizer` (Tokenizer::kNone: not
// tokenized, the worker reads the texts), on up to `threads` threads.
SampleStatistics sample_statistics(
    const TextCorpus& corpus, Tokenizer tokenizer, std::size_t width,
    const std::function<std::unique_ptr<SampleWorker>()>& make_worker, std::size_t threads = 1);

// The signature fields every lexical scorer sets from its inputs: `clean` (the convention's
// cleaner) and `nrefs` (the number of references when every sample has the same, else "var";
// "1" when the scorer reads the first reference only).
void sign_text_inputs(ScoringInputs& inputs, TextConvention convention, bool first_reference_only,
                      Signature& signature);

}  // namespace rrg::metrics
