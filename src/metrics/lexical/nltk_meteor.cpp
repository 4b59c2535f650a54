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
#include "rrg/metrics/lexical/nltk_meteor.h"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/lexical/state_pool.h"
#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/python_math.h"
#include "rrg/text/porter_stemmer.h"
#include "rrg/text/python_str.h"
#include "rrg/text/utf8.h"

namespace rrg::metrics {

// The lemma names without "_" of every synset of a stem (in NLTK's order, repeats kept), looked
// up in WordNet once per scorer rather than once per score() call: a long-lived scorer
// (`rrg serve`) otherwise reads WordNet again for every request. Entries are never removed, so
// a returned reference stays valid while other threads add entries; past kMaxStems distinct
// stems the names are computed into the caller's scratch vector instead (bounded memory).
class NltkMeteorScorer::SynonymCache {
 public:
  explicit SynonymCache(const text::WordNet& wordnet) : wordnet_(wordnet) {}

  const std::vector<std::string>& names(const std::string& stem,
                                        std::vector<std::string>& scratch) {
    {
      const std::shared_lock<std::shared_mutex> lock(mutex_);
      const auto found = names_.find(stem);
      if (found != names_.end()) return found->second;
    }
    scratch.clear();
    for (const auto& synset : wordnet_.synsets(stem)) {
      for (auto& name : wordnet_.lemma_names(synset)) {
        if (name.find('_') == std::string::npos) scratch.push_back(std::move(name));
      }
    }
    const std::unique_lock<std::shared_mutex> lock(mutex_);
    if (names_.size() >= kMaxStems) return scratch;
    return names_.emplace(stem, scratch).first->second;
  }

 private:
  static constexpr std::size_t kMaxStems = std::size_t{1} << 17;
  const text::WordNet& wordnet_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::vector<std::string>> names_;
};

namespace {

constexpr TokenId kUnset = 0xFFFFFFFFu;
constexpr std::int32_t kNone = -1;

// Words, stems, synonym sets and scratch space of a worker. Texts arrive as the ids of their
// `text.lower().split()` tokens (CorpusTokenizer, kLowerPythonSplit); the session maps each
// distinct token once to its preprocessed word and its stem, both interned in its own vocabulary
// together with the WordNet lemma names, so every comparison below is between ids. Everything
// indexed by its own ids (stems, synonym sets) depends only on the words, so a session serves one
// scoring call after another (StatePool): only the map from the tokenizer's ids, which are new in
// every call, starts again (begin_call()).
class MeteorSession {
 public:
  // Past this many words, stems and lemma names a session is not kept for another call.
  static constexpr std::size_t kMaxKeptWords = std::size_t{1} << 15;

  explicit MeteorSession(NltkMeteorScorer::SynonymCache& synonyms) : synonyms_(synonyms) {}

  // A scoring call starts: token ids mean other tokens from now on.
  void begin_call() {
    word_of_.clear();
    stem_of_.clear();
  }
  // Whether another call can use this session: not left in the middle of a sample (by an
  // exception), not too large.
  bool reusable() const { return !in_sample_ && words_.size() <= kMaxKeptWords; }

  // METEOR of one sample; `tokens` resolves the ids of `reference` and `hypothesis`.
  double score(TokenSpan reference, TokenSpan hypothesis, const TokenVocabulary& tokens) {
    in_sample_ = true;
    const double value = score_sample(reference, hypothesis, tokens);
    in_sample_ = false;
    return value;
  }

 private:
  double score_sample(TokenSpan reference, TokenSpan hypothesis, const TokenVocabulary& tokens) {
    map_tokens(hypothesis, tokens, hyp_word_, hyp_stem_);
    map_tokens(reference, tokens, ref_word_, ref_stem_);
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
      const std::vector<TokenId>& synonyms = synonyms_of(hyp_stem_[i]);
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

  // NLTK's preprocess (str.lower) and the stemmer (which lower-cases once more) per token.
  void map_tokens(TokenSpan ids, const TokenVocabulary& tokens, std::vector<TokenId>& words,
                  std::vector<TokenId>& stems) {
    words.clear();
    stems.clear();
    for (const TokenId raw : ids) {
      if (raw >= word_of_.size()) {
        word_of_.resize(tokens.size(), kUnset);
        stem_of_.resize(tokens.size(), kUnset);
      }
      if (word_of_[raw] == kUnset) {
        const std::string_view token = tokens.token(raw);
        // Lower-casing lower-cased ASCII changes nothing; only other tokens go through lower().
        const TokenId word =
            text::is_ascii(token) ? words_.intern(token) : words_.intern(text::python_lower(token));
        ensure_capacity();
        if (stem_of_word_[word] == kUnset) {
          const TokenId stem = words_.intern(stemmer_.stem(words_.token(word)));
          ensure_capacity();
          stem_of_word_[word] = stem;
        }
        word_of_[raw] = word;
        stem_of_[raw] = stem_of_word_[word];
      }
      words.push_back(word_of_[raw]);
      stems.push_back(stem_of_[raw]);
    }
  }

  // `_match_enums` on the entries both sides still have unmatched, by key.
  void match_stage(const std::vector<TokenId>& hyp_key, const std::vector<TokenId>& ref_key,
                   std::size_t& remaining_hyp, std::size_t& remaining_ref) {
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
  const std::vector<TokenId>& synonyms_of(TokenId stem) {
    if (synonym_set_of_[stem] == kUnset) {
      std::vector<TokenId> ids{stem};
      const std::string word(words_.token(stem));
      for (const auto& name : synonyms_.names(word, scratch_names_))
        ids.push_back(words_.intern(name));
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      ensure_capacity();
      synonym_set_of_[stem] = static_cast<TokenId>(synonym_sets_.size());
      synonym_sets_.push_back(std::move(ids));
    }
    return synonym_sets_[synonym_set_of_[stem]];
  }

  // Grows the arrays indexed by word/stem id to the vocabulary's size.
  void ensure_capacity() {
    const std::size_t size = words_.size();
    if (synonym_set_of_.size() >= size) return;
    const std::size_t capacity = std::max(size, 2 * synonym_set_of_.size());
    synonym_set_of_.resize(capacity, kUnset);
    stem_of_word_.resize(capacity, kUnset);
    head_.resize(capacity, kNone);
    is_synonym_.resize(capacity, 0);
  }

  NltkMeteorScorer::SynonymCache& synonyms_;
  std::vector<std::string> scratch_names_;
  text::PorterStemmer stemmer_;
  TokenVocabulary words_;  // preprocessed words, stems and lemma names
  // Indexed by token id (of the tokenizer's vocabulary).
  std::vector<TokenId> word_of_;  // token -> preprocessed word
  std::vector<TokenId> stem_of_;  // token -> stem
  // Indexed by word/stem id (of words_).
  std::vector<TokenId> synonym_set_of_;  // stem -> index into synonym_sets_
  std::vector<TokenId> stem_of_word_;    // preprocessed word -> its stem
  std::vector<std::int32_t> head_;       // key -> last free reference position (stage stacks)
  std::vector<std::uint8_t> is_synonym_;
  std::vector<std::vector<TokenId>> synonym_sets_;
  // Per-sample scratch.
  std::vector<TokenId> hyp_word_, hyp_stem_, ref_word_, ref_stem_;
  std::vector<std::int32_t> hyp_match_;  // hypothesis position -> reference position or kNone
  std::vector<std::uint8_t> ref_used_;
  std::vector<std::int32_t> next_;  // reference position -> next lower free position, same key
  bool in_sample_ = false;
};

}  // namespace

// The sessions of finished scoring calls, for the next ones.
class NltkMeteorScorer::Sessions : public StatePool<MeteorSession> {};

// The seed's text.lower().split(), one value per sample.
NltkMeteorScorer::NltkMeteorScorer(const std::string& wordnet_dir)
    : RowLoopScorer(TextConvention::kSeed, Tokenizer::kLowerPythonSplit, 1),
      wordnet_(std::make_shared<text::WordNet>(wordnet_dir)),
      synonyms_(std::make_shared<SynonymCache>(*wordnet_)),
      sessions_(std::make_shared<Sessions>()) {}

namespace {

// Only the first reference counts (the seed convention); none scores like an empty one.
// (A worker serves one lane of one call: one tokenizer vocabulary.)
class MeteorWorker final : public SampleWorker {
 public:
  MeteorWorker(std::shared_ptr<StatePool<MeteorSession>> sessions,
               NltkMeteorScorer::SynonymCache& synonyms)
      : sessions_(std::move(sessions)), session_(sessions_->take()) {
    if (!session_) session_ = std::make_unique<MeteorSession>(synonyms);
    session_->begin_call();
  }
  ~MeteorWorker() override {
    if (session_->reusable()) sessions_->give(std::move(session_));
  }
  MeteorWorker(const MeteorWorker&) = delete;
  MeteorWorker& operator=(const MeteorWorker&) = delete;

  void compute(const SampleView& sample, double* row) override {
    const TokenSpan reference = sample.reference_count() > 0 ? sample.reference(0) : TokenSpan{};
    row[0] = session_->score(reference, sample.hypothesis(), *sample.vocabulary);
  }

 private:
  std::shared_ptr<StatePool<MeteorSession>> sessions_;
  std::unique_ptr<MeteorSession> session_;
};

}  // namespace

std::unique_ptr<SampleWorker> NltkMeteorScorer::make_worker() const {
  return std::make_unique<MeteorWorker>(sessions_, *synonyms_);
}

std::vector<KeyInfo> NltkMeteorScorer::keys() const {
  return {{"METEOR"}};
}

void NltkMeteorScorer::sign(std::size_t, ScoringInputs& inputs, Signature& signature) const {
  signature.set("conv", "nltk-3.8")
      .set("tok", "lower-split")
      .set("stem", "porter-nltk")
      .set("syn", "wordnet-3.0")
      .set("alpha", "0.9")
      .set("beta", "3")
      .set("gamma", "0.5");
  sign_text_inputs(inputs, TextConvention::kSeed, true, signature);
}

SampleStatistics NltkMeteorScorer::statistics(ScoringInputs& inputs) const {
  return loop_statistics(*this, inputs);
}

}  // namespace rrg::metrics
