// NLTK 3.8 METEOR (see nltk_meteor.h).
//
// Reference: nltk/translate/meteor_score.py of NLTK 3.8 — `_generate_enums`, `_match_enums`,
// `_enum_stem_match`, `_enum_wordnetsyn_match`, `_enum_align_words`, `_count_chunks` and
// `single_meteor_score`.
//
// `_match_enums` walks the hypothesis list from its end and, for each entry, the remaining
// reference list from its end, pairing the first equal entry and removing both. Removing entries
// keeps the lists in original order, so "the last remaining reference entry equal to w" is the
// top of a per-word stack of reference positions (pushed in increasing order, popped on a match);
// that is what the stages below use instead of NLTK's nested scans.
#include "rrg/metrics/nltk_meteor.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "rrg/metrics/python_math.h"
#include "rrg/text/lower_splitter.h"
#include "rrg/text/porter_stemmer.h"
#include "rrg/text/python_str.h"
#include "rrg/text/token_interner.h"
#include "rrg/text/utf8.h"

namespace rrg::metrics {
namespace {

constexpr std::uint32_t kUnset = 0xFFFFFFFFu;
constexpr std::int32_t kNone = -1;

// Tokens, stems, synonym sets and scratch space for one score() call.
class MeteorSession {
 public:
  explicit MeteorSession(const text::WordNet& wordnet) : wordnet_(wordnet) {}

  double score(std::string_view reference, std::string_view hypothesis) {
    tokenize(hypothesis, hyp_word_, hyp_stem_);
    tokenize(reference, ref_word_, ref_stem_);
    const std::size_t n = hyp_word_.size();
    const std::size_t m = ref_word_.size();
    if (n == 0 || m == 0) return 0.0;  // NLTK: ZeroDivisionError -> 0.0

    hyp_match_.assign(n, kNone);
    ref_used_.assign(m, 0);
    std::size_t remaining_hyp = n;
    std::size_t remaining_ref = m;
    // Stage 1 (exact) on the preprocessed words, stage 2 on the stems.
    match_stage(hyp_word_, ref_word_, remaining_hyp, remaining_ref);
    match_stage(hyp_stem_, ref_stem_, remaining_hyp, remaining_ref);
    // Stage 3: WordNet synonyms of the hypothesis stems.
    for (std::size_t i = n; i-- > 0 && remaining_ref > 0;) {
      if (hyp_match_[i] != kNone) continue;
      const std::vector<std::uint32_t>& synonyms = synonyms_of(hyp_stem_[i]);
      ensure_capacity();
      for (const auto id : synonyms) is_synonym_[id] = 1;
      for (std::size_t j = m; j-- > 0;) {
        if (ref_used_[j] == 0 && is_synonym_[ref_stem_[j]] != 0) {
          hyp_match_[i] = static_cast<std::int32_t>(j);
          ref_used_[j] = 1;
          --remaining_hyp;
          --remaining_ref;
          break;
        }
      }
      for (const auto id : synonyms) is_synonym_[id] = 0;
    }

    // _count_chunks over the matches sorted by hypothesis position.
    std::size_t matches = 0;
    std::size_t chunks = 1;
    std::int32_t previous_i = kNone, previous_j = kNone;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t j = hyp_match_[i];
      if (j == kNone) continue;
      if (matches > 0 && !(static_cast<std::int32_t>(i) == previous_i + 1 && j == previous_j + 1)) {
        ++chunks;
      }
      previous_i = static_cast<std::int32_t>(i);
      previous_j = j;
      ++matches;
    }
    if (matches == 0) return 0.0;  // precision = recall = 0: ZeroDivisionError -> 0.0

    // single_meteor_score, operation for operation.
    const double alpha = NltkMeteorScorer::kAlpha;
    const double precision = static_cast<double>(matches) / static_cast<double>(n);
    const double recall = static_cast<double>(matches) / static_cast<double>(m);
    const double fmean = (precision * recall) / (alpha * precision + (1 - alpha) * recall);
    const double chunk_count = static_cast<double>(chunks);
    const double frag_frac = chunk_count / static_cast<double>(matches);
    const double penalty =
        NltkMeteorScorer::kGamma * python_pow(frag_frac, NltkMeteorScorer::kBeta);
    return (1 - penalty) * fmean;
  }

 private:
  // Tokens of the seed convention: python_split(python_lower(text)); then NLTK's preprocess
  // (str.lower) per token and the stemmer (which lower-cases once more).
  void tokenize(std::string_view text, std::vector<std::uint32_t>& words,
                std::vector<std::uint32_t>& stems) {
    words.clear();
    stems.clear();
    for (const std::string_view token : splitter_.lower_split(text)) {
      const std::uint32_t raw = interner_.intern(token);
      ensure_capacity();
      if (word_of_[raw] == kUnset) {
        // Lower-casing ASCII text twice changes nothing; only other tokens go through lower().
        const std::uint32_t word =
            text::is_ascii(token) ? raw : interner_.intern(text::python_lower(token));
        const std::string stem = stemmer_.stem(interner_.str(word));
        const std::uint32_t stem_id = interner_.intern(stem);
        ensure_capacity();
        word_of_[raw] = word;
        stem_of_[raw] = stem_id;
      }
      words.push_back(word_of_[raw]);
      stems.push_back(stem_of_[raw]);
    }
  }

  // `_match_enums` on the entries both sides still have unmatched, by key.
  void match_stage(const std::vector<std::uint32_t>& hyp_key,
                   const std::vector<std::uint32_t>& ref_key, std::size_t& remaining_hyp,
                   std::size_t& remaining_ref) {
    if (remaining_hyp == 0 || remaining_ref == 0) return;
    const std::size_t m = ref_key.size();
    next_.resize(m);
    for (std::size_t j = 0; j < m; ++j) {
      if (ref_used_[j] != 0) continue;
      next_[j] = head_[ref_key[j]];
      head_[ref_key[j]] = static_cast<std::int32_t>(j);
    }
    for (std::size_t i = hyp_key.size(); i-- > 0;) {
      if (hyp_match_[i] != kNone) continue;
      const std::int32_t j = head_[hyp_key[i]];
      if (j == kNone) continue;
      head_[hyp_key[i]] = next_[static_cast<std::size_t>(j)];
      hyp_match_[i] = j;
      ref_used_[static_cast<std::size_t>(j)] = 1;
      --remaining_hyp;
      --remaining_ref;
    }
    for (std::size_t j = 0; j < m; ++j) head_[ref_key[j]] = kNone;
  }

  // The set `_enum_wordnetsyn_match` builds for a hypothesis stem: lemma names without "_" of
  // every synset of the stem, plus the stem itself; as sorted unique ids.
  const std::vector<std::uint32_t>& synonyms_of(std::uint32_t stem) {
    ensure_capacity();
    if (synonym_set_of_[stem] == kUnset) {
      std::vector<std::uint32_t> ids{stem};
      const std::string word(interner_.str(stem));
      for (const auto& synset : wordnet_.synsets(word)) {
        for (const auto& name : wordnet_.lemma_names(synset)) {
          if (name.find('_') == std::string::npos) ids.push_back(interner_.intern(name));
        }
      }
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      ensure_capacity();
      synonym_set_of_[stem] = static_cast<std::uint32_t>(synonym_sets_.size());
      synonym_sets_.push_back(std::move(ids));
    }
    return synonym_sets_[synonym_set_of_[stem]];
  }

  // Grows the per-id arrays to the interner's size.
  void ensure_capacity() {
    const std::size_t size = interner_.size();
    if (word_of_.size() >= size) return;
    const std::size_t capacity = std::max(size, 2 * word_of_.size());
    word_of_.resize(capacity, kUnset);
    stem_of_.resize(capacity, kUnset);
    synonym_set_of_.resize(capacity, kUnset);
    head_.resize(capacity, kNone);
    is_synonym_.resize(capacity, 0);
  }

  const text::WordNet& wordnet_;
  text::PorterStemmer stemmer_;
  text::TokenInterner interner_;
  // Indexed by token id.
  std::vector<std::uint32_t> word_of_;         // raw token -> preprocessed word
  std::vector<std::uint32_t> stem_of_;         // raw token -> stem
  std::vector<std::uint32_t> synonym_set_of_;  // stem -> index into synonym_sets_
  std::vector<std::int32_t> head_;             // key -> last free reference position (stage stacks)
  std::vector<std::uint8_t> is_synonym_;
  std::vector<std::vector<std::uint32_t>> synonym_sets_;
  // Per-sample scratch.
  text::LowerSplitter splitter_;
  std::vector<std::uint32_t> hyp_word_, hyp_stem_, ref_word_, ref_stem_;
  std::vector<std::int32_t> hyp_match_;  // hypothesis position -> reference position or kNone
  std::vector<std::uint8_t> ref_used_;
  std::vector<std::int32_t> next_;  // reference position -> next lower free position, same key
};

}  // namespace

NltkMeteorScorer::NltkMeteorScorer(const ScorerOptions& options)
    : wordnet_(std::make_shared<text::WordNet>(options.wordnet_dir)) {}

std::vector<std::string> NltkMeteorScorer::names() const {
  return {"METEOR"};
}

Signature NltkMeteorScorer::signature() {
  Signature signature("METEOR");
  signature.set("conv", "nltk-3.8")
      .set("tok", "lower-split")
      .set("stem", "porter-nltk")
      .set("syn", "wordnet-3.0")
      .set("alpha", "0.9")
      .set("beta", "3")
      .set("gamma", "0.5")
      .set("nrefs", "1");
  return signature;
}

double NltkMeteorScorer::score_pair(std::string_view reference, std::string_view hypothesis) const {
  MeteorSession session(*wordnet_);
  return session.score(reference, hypothesis);
}

MetricScores NltkMeteorScorer::score(const TextCorpus& corpus) const {
  MetricScores scores;
  scores.names = names();
  scores.signatures = {signature()};
  scores.per_sample.assign(1, {});
  std::vector<double>& values = scores.per_sample[0];
  values.reserve(corpus.size());
  MeteorSession session(*wordnet_);
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const auto& refs = corpus.references[i];
    values.push_back(
        session.score(refs.empty() ? std::string_view() : refs.front(), corpus.hypotheses[i]));
  }
  // np.mean of the per-sample values (an empty corpus scores 0, see scorer.h).
  scores.corpus = {values.empty() ? 0.0 : numpy_mean(values)};
  return scores;
}

}  // namespace rrg::metrics
