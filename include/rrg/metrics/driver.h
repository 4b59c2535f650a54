// The one driver that runs a scorer (rrg/metrics/scorer.h): statistics, per-sample values,
// corpus values and signatures, so no scorer repeats the allocation, the aggregation call or the
// signature set-up.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"
#include "rrg/metrics/signature.h"

namespace rrg::metrics {

// Everything a scorer computed on one corpus.
struct MetricScores {
  std::vector<KeyInfo> keys;
  std::vector<std::string> names;               // keys' names, e.g. {"Bleu_1", ..., "Bleu_4"}
  std::vector<double> corpus;                   // corpus[k]: value of key k; NaN = N/A or none
  std::vector<std::vector<double>> per_sample;  // per_sample[k][i]; empty when key k has none
  std::vector<Signature> signatures;            // signatures[k]: how key k was computed
  SampleStatistics statistics;                  // stage 1's rows (for resampling)
};

// Runs `scorer` on `inputs`: its statistics, then the corpus value of every key from all rows in
// sample order and the per-sample values of every key.
MetricScores run_scorer(const Scorer& scorer, ScoringInputs& inputs);

// run_scorer() for every scorer of `scorers` on the same inputs, with the same results, sharing
// work: the scorers that come from the lexical sample loop (Scorer::loop_scorer()) run in one
// loop per text convention and tokenizer, so each text is tokenized once for all of them (coco
// BLEU + CIDEr-D; NLTK BLEU + METEOR), and every stage uses inputs.threads() threads.
// Signatures are built first, scorer by scorer (a signature may make lazy inputs prepare texts
// or labels); after_sign(k), when given, is called once scorer k's are built. `seconds`, when
// given, receives each scorer's wall seconds; a shared loop is divided in proportion to each
// scorer's own work in it.
struct ScorerTimes {
  std::vector<double> seconds;  // per scorer, in order
};
std::vector<MetricScores> run_scorers(const std::vector<const Scorer*>& scorers,
                                      ScoringInputs& inputs, ScorerTimes* times = nullptr,
                                      const std::function<void(std::size_t)>& after_sign = {});

// run_scorer() on a ready corpus (every text convention sees it as given; see CorpusInputs),
// on `threads` threads.
MetricScores score_corpus(const Scorer& scorer, const TextCorpus& corpus,
                          const std::string& cleaner = "", std::size_t threads = 1);

// The corpus value of every key from the rows `rows` of `statistics` (a resample).
std::vector<double> aggregate_rows(const Scorer& scorer, const SampleStatistics& statistics,
                                   const std::vector<std::size_t>& rows);

}  // namespace rrg::metrics
