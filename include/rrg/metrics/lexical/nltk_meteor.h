// Scorer "nltk-meteor" (family seed): key METEOR, as NLTK 3.8's `meteor_score` computes it.
//
// The seed toolkit scores `meteor_score([reference.lower().split()], hypothesis.lower().split())`
// per sample with NLTK's defaults (preprocess=str.lower, PorterStemmer(), WordNet, alpha 0.9,
// beta 3, gamma 0.5) and reports the mean. NLTK aligns the two token lists in three stages, each
// on what the previous one left unmatched, always scanning the hypothesis from its last token
// backwards and taking the last still-free reference token that fits:
//   1. exact: equal (lower-cased) words;
//   2. stem: equal Porter stems — and from here on both sides *are* their stems;
//   3. synonyms: the reference stem is a lemma name (without "_") of some
//      `wordnet.synsets(hypothesis stem)`, or the hypothesis stem itself.
// With m matches, P = m/|hypothesis|, R = m/|reference|, Fmean = PR/(alpha P + (1-alpha) R), and
// chunks = runs of matches adjacent on both sides when sorted by hypothesis position; the score
// is (1 - gamma (chunks/m)^beta) Fmean, and 0 when a side is empty or nothing matches. The corpus
// value is np.mean of the per-sample scores. Only the first reference of each sample is used
// (the seed convention; NLTK itself would take the maximum over references), so nrefs:1.
//
// Quirks reproduced on purpose: synonyms are looked up for *stems* ("effus", "pleural" ->
// "pleural"), as NLTK does; WordNet lemma names keep their case ("Hg"), so they only match an
// identical reference stem; a token is lower-cased three times (text, preprocess, stemmer), each
// with Python's full Unicode str.lower().
//
// Speed: texts are tokenized and interned by the shared CorpusTokenizer
// (rrg/metrics/lexical/token_ids.h); stems and synonym sets are computed once per distinct word by
// each worker, whose session (with those caches) the next score() call reuses (state_pool.h);
// the stages use per-word stacks (no quadratic scans, no per-token allocation). WordNet is read
// lazily from the memory-mapped database (rrg/text/wordnet.h), each stem's synonyms once per
// scorer (shared by its threads and calls).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/scorer.h"
#include "rrg/metrics/scoring_inputs.h"
#include "rrg/text/wordnet.h"

namespace rrg::metrics {

class NltkMeteorScorer final : public MeanScorer, public RowLoopScorer {
 public:
  // NLTK's defaults (meteor_score's keyword arguments).
  static constexpr double kAlpha = 0.9;
  static constexpr double kBeta = 3.0;
  static constexpr double kGamma = 0.5;

  // Opens WordNet from `wordnet_dir` ("" = $RRG_WORDNET_DIR, then /usr/share/wordnet); throws
  // rrg::InputError when it is missing (see text::WordNet).
  explicit NltkMeteorScorer(const std::string& wordnet_dir = "");

  // Each stem's WordNet lemma names, looked up once (thread-safe; nltk_meteor.cpp).
  class SynonymCache;
  // Workers' sessions kept between calls (thread-safe; nltk_meteor.cpp).
  class Sessions;

  std::vector<KeyInfo> keys() const override;
  // "METEOR|conv:nltk-3.8|tok:lower-split|clean:seed|stem:porter-nltk|syn:wordnet-3.0|alpha:0.9|
  // beta:3|gamma:0.5|nrefs:1|version:..."
  void sign(std::size_t key, ScoringInputs& inputs, Signature& signature) const override;
  SampleStatistics statistics(ScoringInputs& inputs) const override;
  const LoopScorer* loop_scorer() const override { return this; }

 protected:
  // One METEOR session per lane: its stem and synonym id caches are the lane's own (taken from
  // the sessions of earlier calls when one is free); WordNet and the synonym names are shared
  // (thread-safe).
  std::unique_ptr<SampleWorker> make_worker() const override;

 private:
  std::shared_ptr<const text::WordNet> wordnet_;
  std::shared_ptr<SynonymCache> synonyms_;
  std::shared_ptr<Sessions> sessions_;
};

}  // namespace rrg::metrics
