// The interface every metric implements, in two stages as sacrebleu does
// (`_compute_segment_statistics`, `_compute_score_from_stats`):
//
//   1. statistics(): one row of sufficient statistics per sample (BLEU's clipped n-gram counts,
//      a per-sample METEOR value, the two label rows of a clinical pair ...);
//   2. aggregate(): the corpus value of every key from ANY multiset of those rows, given by
//      index. Scoring a corpus aggregates all rows in order; a bootstrap replicate aggregates a
//      resample; a paired randomization trial aggregates rows of two systems mixed. Because
//      aggregate() is the code that produces the reported number, a resampled value equals the
//      value of scoring the resampled texts (tests/metrics/resampling_test.cpp).
//
// aggregation(key) also describes each key's aggregation in closed form (a function of column
// sums, or a mean of one column), which lets the significance tests of `rrg compare` update a
// trial incrementally instead of re-aggregating every row.
//
// The shared driver (rrg/metrics/driver.h) runs a scorer: it allocates the outputs, extracts
// per-sample values, aggregates and builds every signature with a fixed key order. Scorers are
// stateless after construction and may be used from several threads; statistics() may itself use
// ScoringInputs::threads() threads, with results that do not depend on how many.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "rrg/core/job.h"
#include "rrg/metrics/signature.h"

namespace rrg::metrics {

struct TextCorpus {
  std::vector<std::string> hypotheses;
  // references[i] holds one or more references for hypotheses[i] (an empty string is a valid,
  // empty reference).
  std::vector<std::vector<std::string>> references;

  std::size_t size() const { return hypotheses.size(); }
};

// One output key of a scorer.
struct KeyInfo {
  std::string name;        // e.g. "BLEU-4", "chexpert_micro_f1_14_uzeros", "n_agree"
  bool corpus = true;      // has a corpus value
  bool per_sample = true;  // has a value per sample
};

// Stage 1's output: `width` numbers per sample, row-major. Integers (counts) are stored exactly
// (doubles hold every integer below 2^53).
struct SampleStatistics {
  std::size_t width = 0;
  std::vector<double> values;

  SampleStatistics() = default;
  SampleStatistics(std::size_t n_samples, std::size_t row_width)
      : width(row_width), values(n_samples * row_width, 0.0) {}

  std::size_t size() const { return width == 0 ? 0 : values.size() / width; }
  const double* row(std::size_t i) const { return values.data() + i * width; }
  double* row(std::size_t i) { return values.data() + i * width; }
};

// How one key's corpus value follows from the statistics, in closed form.
struct KeyAggregation {
  enum class Kind {
    kNone,  // no corpus value, or none the closed forms express (resampling uses aggregate())
    kMean,  // np.mean of statistics column `column` over the rows, in row order; NaN rows skipped
    kSums,  // finish(sums) where sums = the column-wise sums of project(row) over the rows
  };
  Kind kind = Kind::kNone;
  std::size_t column = 0;  // kMean
  // kSums: project() writes `width` integers (as doubles) for one row; finish() receives their
  // exact sums over the selected rows and how many rows were selected.
  std::size_t width = 0;
  std::function<void(const double* row, double* out)> project;
  std::function<double(const double* sums, std::size_t n_rows)> finish;
};

// What a scorer reads: the texts under a family's convention, and for the clinical family the
// labels of predictions and references (implemented by the evaluation pipeline, which owns the
// cleaners and the labeler; see rrg/metrics/scoring_inputs.h).
class ScoringInputs;

// The lexical sample loop's view of a scorer (rrg/metrics/lexical/sample_loop.h).
class LoopScorer;

class Scorer {
 public:
  virtual ~Scorer() = default;

  // The keys this scorer produces, in output order.
  virtual std::vector<KeyInfo> keys() const = 0;
  // keys()' names.
  std::vector<std::string> names() const;

  // Adds the fields of key `key`'s signature: the scorer's conventions (conv, tok, smoothing ...)
  // and what they depend on in `inputs` (clean, nrefs, labeler). Signature::format() orders them.
  virtual void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const = 0;

  // Stage 1: the statistics of every sample.
  virtual SampleStatistics statistics(ScoringInputs& inputs) const = 0;

  // Stage 2: the corpus value of every key (NaN = N/A or no corpus value) into out[0..keys),
  // from the rows rows[0..n) of `stats` (any order; repeats allowed).
  virtual void aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                         double* out) const = 0;

  // The per-sample value of every key (NaN for keys without one) from one row.
  virtual void sample_values(const double* row, double* out) const = 0;

  // The closed form of key `key`'s aggregation (Kind::kNone when it has none).
  virtual KeyAggregation aggregation(std::size_t key) const = 0;

  // Optional capability: a scorer whose statistics come from the lexical sample loop returns
  // its loop view (nullptr = none). run_scorers() (driver.h) then tokenizes each text once for
  // every such scorer of the same text convention and tokenizer; statistics() gives the same
  // rows either way.
  virtual const LoopScorer* loop_scorer() const { return nullptr; }

  // Optional capability of a scorer whose statistics take a while (an LLM judge): its progress
  // and cancellation while statistics() runs; nullptr for the others.
  virtual Job* job() const { return nullptr; }

  // One line for the end of a run of a scorer with something to report (requests, cache hits,
  // model load time; "" for the others), e.g. "GREEN: 120 pairs (100 from cache), ...".
  virtual std::string summary() const { return ""; }

  // Loads the scorer's model now rather than in the first statistics() call (rrg serve loads
  // every model once at start-up); a no-op for scorers without one. Thread-safe like
  // statistics().
  virtual void preload() const {}
};

// A scorer whose corpus value of every key is the np.mean of a per-sample value, and whose
// statistics row is exactly those values (ROUGE-L, METEOR, CIDEr-D, embedding similarities):
// width = number of keys. An empty selection aggregates to 0.0 (the lexical tools' result for
// an empty corpus); NaN values (samples without a value) are left out of the mean.
class MeanScorer : public Scorer {
 public:
  void aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                 double* out) const override;
  void sample_values(const double* row, double* out) const override;
  KeyAggregation aggregation(std::size_t key) const override;
};

// A scorer whose every key is a function of the column sums of a per-sample integer vector
// (BLEU's clipped n-gram counts and lengths): aggregate() sums project(row) over the rows
// exactly and applies finish(); a sample's own value is finish() of its own vector.
class SumsScorer : public Scorer {
 public:
  void aggregate(const SampleStatistics& stats, const std::size_t* rows, std::size_t n,
                 double* out) const override;
  void sample_values(const double* row, double* out) const override;
  KeyAggregation aggregation(std::size_t key) const override;

 protected:
  // Integers per sample.
  virtual std::size_t sums_width() const = 0;
  // The integer vector of one statistics row.
  virtual void project(const double* row, double* out) const = 0;
  // Every key's value from column sums over `n_rows` rows.
  virtual void finish(const double* sums, std::size_t n_rows, double* out) const = 0;
};

}  // namespace rrg::metrics
