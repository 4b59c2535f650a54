// rouge-score 0.1.2 ROUGE-L (see rouge_score.h).
//
// Reference: google-research/rouge rouge_scorer.py (`_score_lcs`, `_lcs_table`), tokenize.py
// (`tokenize`) and scoring.py (`fmeasure`) as released in rouge-score 0.1.2.
#include "rrg/metrics/lexical/rouge_score.h"

#include "rrg/metrics/lexical/lcs.h"
#include "rrg/metrics/lexical/sample_loop.h"
#include "rrg/metrics/lexical/state_pool.h"
#include "rrg/metrics/lexical/token_ids.h"
#include "rrg/metrics/python_math.h"
#include "rrg/text/porter_stemmer.h"
#include "rrg/text/python_str.h"
#include "rrg/text/utf8.h"

namespace rrg::metrics {
namespace {

constexpr TokenId kUnset = 0xFFFFFFFFu;
constexpr TokenId kDropped = 0xFFFFFFFEu;

constexpr bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// rouge-score's final filter `re.match(r"^[a-z0-9]+$", token)`.
bool valid_token(std::string_view token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// rouge-score's tokenizer with its per-word caches (which depend only on the words: a worker's
// tokenizer serves one scoring call after another, see RougeState).
class RougeTokenizer {
 public:
  // The ids of rouge-score's tokens of `text`, into `out` (cleared first).
  void tokenize(std::string_view text, std::vector<TokenId>& out) {
    out.clear();
    // After str.lower(), every run of characters outside [a-z0-9] becomes a space and the text
    // is split, which leaves exactly the maximal runs of [a-z0-9]. Multi-byte UTF-8 sequences
    // contain no ASCII bytes, so a byte scan of the lower-cased text finds them.
    const std::string& lowered = lower(text);
    std::size_t i = 0;
    const std::size_t n = lowered.size();
    while (i < n) {
      while (i < n && !is_token_char(lowered[i])) ++i;
      const std::size_t start = i;
      while (i < n && is_token_char(lowered[i])) ++i;
      if (i > start) add(std::string_view(lowered).substr(start, i - start), out);
    }
  }

  const TokenVocabulary& vocabulary() const { return vocabulary_; }

 private:
  // python_lower(text), inline for ASCII text (A-Z -> a-z is all Python does there).
  const std::string& lower(std::string_view text) {
    if (!text::is_ascii(text)) return lowered_ = text::python_lower(text);
    lowered_.resize(text.size());
    for (std::size_t k = 0; k < text.size(); ++k) {
      const auto c = static_cast<unsigned char>(text[k]);
      lowered_[k] = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26 ? 32 : 0));
    }
    return lowered_;
  }

  void add(std::string_view raw, std::vector<TokenId>& out) {
    const TokenId id = vocabulary_.intern(raw);
    if (id >= final_of_.size()) final_of_.resize(vocabulary_.size(), kUnset);
    if (final_of_[id] == kUnset) {
      const TokenId token = final_id(id, raw);  // may grow final_of_
      final_of_[id] = token;
    }
    if (final_of_[id] != kDropped) out.push_back(final_of_[id]);
  }

  // "Only stem words more than 3 characters long" (tokenize.py); raw tokens are ASCII, so the
  // byte length is Python's len().
  TokenId final_id(TokenId id, std::string_view raw) {
    if (raw.size() <= 3) return id;
    const std::string stem = stemmer_.stem(raw);
    if (!valid_token(stem)) return kDropped;
    const TokenId stem_id = vocabulary_.intern(stem);
    if (stem_id >= final_of_.size()) final_of_.resize(vocabulary_.size(), kUnset);
    return stem_id;
  }

  text::PorterStemmer stemmer_;
  TokenVocabulary vocabulary_;
  std::vector<TokenId> final_of_;  // raw token id -> final token id (kDropped: none)
  std::string lowered_;
};

TokenSpan span(const std::vector<TokenId>& ids) {
  return {ids.data(), ids.size()};
}

}  // namespace

std::vector<std::string> rouge_score_tokenize(std::string_view text) {
  RougeTokenizer tokenizer;
  std::vector<TokenId> ids;
  tokenizer.tokenize(text, ids);
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const auto id : ids) out.emplace_back(tokenizer.vocabulary().token(id));
  return out;
}

double rouge_lcs_fmeasure(std::size_t lcs, std::size_t target_length,
                          std::size_t prediction_length) {
  if (target_length == 0 || prediction_length == 0) return 0.0;
  const double precision = static_cast<double>(lcs) / static_cast<double>(prediction_length);
  const double recall = static_cast<double>(lcs) / static_cast<double>(target_length);
  // scoring.fmeasure: 2 * precision * recall / (precision + recall), evaluated left to right.
  if (precision + recall > 0) return 2 * precision * recall / (precision + recall);
  return 0.0;
}

namespace {

// A worker's tokenizer and scratch space, kept for the next scoring call (StatePool).
struct RougeState {
  // Past this many distinct raw tokens and stems the state is not kept for another call.
  static constexpr std::size_t kMaxKeptTokens = std::size_t{1} << 15;

  RougeTokenizer tokenizer;
  LcsCalculator lcs;
  std::vector<TokenId> target, prediction;
};

// Only the first reference counts (the seed convention); none scores like an empty one.
class RougeScoreWorker final : public SampleWorker {
 public:
  explicit RougeScoreWorker(std::shared_ptr<StatePool<RougeState>> states)
      : states_(std::move(states)), state_(states_->take()) {
    if (!state_) state_ = std::make_unique<RougeState>();
  }
  ~RougeScoreWorker() override {
    if (state_->tokenizer.vocabulary().size() <= RougeState::kMaxKeptTokens) {
      states_->give(std::move(state_));
    }
  }
  RougeScoreWorker(const RougeScoreWorker&) = delete;
  RougeScoreWorker& operator=(const RougeScoreWorker&) = delete;

  void compute(const SampleView& sample, double* row) override {
    RougeState& s = *state_;
    const auto& refs = *sample.reference_texts;
    s.tokenizer.tokenize(refs.empty() ? std::string_view() : std::string_view(refs.front()),
                         s.target);
    s.tokenizer.tokenize(sample.hypothesis_text, s.prediction);
    const std::size_t common = s.lcs.length(span(s.target), span(s.prediction));
    row[0] = rouge_lcs_fmeasure(common, s.target.size(), s.prediction.size());
  }

 private:
  std::shared_ptr<StatePool<RougeState>> states_;
  std::unique_ptr<RougeState> state_;
};

}  // namespace

// The workers' states of finished scoring calls, for the next ones.
class RougeScoreScorer::States : public StatePool<RougeState> {};

// rouge-score tokenizes the texts itself (Tokenizer::kNone).
RougeScoreScorer::RougeScoreScorer()
    : RowLoopScorer(TextConvention::kSeed, Tokenizer::kNone, 1),
      states_(std::make_shared<States>()) {}

std::unique_ptr<SampleWorker> RougeScoreScorer::make_worker() const {
  return std::make_unique<RougeScoreWorker>(states_);
}

std::vector<KeyInfo> RougeScoreScorer::keys() const {
  return {{"ROUGE-L"}};
}

void RougeScoreScorer::sign(std::size_t, ScoringInputs& inputs, Signature& signature) const {
  signature.set("conv", "rouge-score-0.1.2").set("tok", "rouge-score").set("stem", "porter-nltk");
  sign_text_inputs(inputs, TextConvention::kSeed, true, signature);
}

SampleStatistics RougeScoreScorer::statistics(ScoringInputs& inputs) const {
  return loop_statistics(*this, inputs);
}

}  // namespace rrg::metrics
