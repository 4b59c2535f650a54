// The scorer registry: one line per scorer, filled once (std::call_once), no self-registration.
#include "rrg/metrics/registry.h"

#include <functional>
#include <mutex>

#include "rrg/core/errors.h"
#include "rrg/metrics/lexical/coco_bleu_scorer.h"
#include "rrg/metrics/lexical/coco_cider_scorer.h"
#include "rrg/metrics/lexical/coco_rouge_scorer.h"
#include "rrg/metrics/lexical/nltk_bleu_scorer.h"
#include "rrg/metrics/lexical/nltk_meteor.h"
#include "rrg/metrics/lexical/rouge_score.h"

namespace rrg::metrics {
namespace {

// Factory for scorers without options.
template <typename T>
std::unique_ptr<Scorer> make(const ScorerOptions&) {
  return std::make_unique<T>();
}

struct Entry {
  ScorerInfo info;
  std::function<std::unique_ptr<Scorer>(const ScorerOptions&)> make;
};

std::vector<Entry>& entries() {
  static std::vector<Entry> table;
  static std::once_flag filled;
  std::call_once(filled, [] {
    // Order here is the order of the output table.
    // (Scorers are added by their own commits: one line each.)
    // clang-format off
    table.push_back({{"coco-bleu", "coco", {"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"}, "pycocoevalcap 1.2 BLEU (option closest, tokens str.split())"}, make<CocoBleuScorer>});
    table.push_back({{"coco-rouge", "coco", {"ROUGE_L"}, "pycocoevalcap 1.2 ROUGE-L (beta 1.2, tokens str.split(' '))"}, make<CocoRougeScorer>});
    table.push_back({{"coco-cider", "coco", {"CIDEr"}, "pycocoevalcap 1.2 CIDEr-D (sigma 6, df from the corpus references)"}, make<CocoCiderScorer>});
    table.push_back({{"nltk-bleu", "seed", {"BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4"}, "NLTK 3.8 corpus_bleu/sentence_bleu (method1, tokens lower().split())"}, make<NltkBleuScorer>});
    table.push_back({{"rouge-score", "seed", {"ROUGE-L"}, "rouge-score 0.1.2 ROUGE-L F (LCS, NLTK Porter stems), mean over samples"}, make<RougeScoreScorer>});
    table.push_back({{"nltk-meteor", "seed", {"METEOR"}, "NLTK 3.8 meteor_score (exact, Porter stem, WordNet 3.0 synonyms), mean over samples"}, [](const ScorerOptions& o) -> std::unique_ptr<Scorer> { return std::make_unique<NltkMeteorScorer>(o); }});
    // clang-format on
  });
  return table;
}

}  // namespace

const std::vector<ScorerInfo>& scorer_infos() {
  static const std::vector<ScorerInfo> infos = [] {
    std::vector<ScorerInfo> out;
    for (const auto& entry : entries()) out.push_back(entry.info);
    return out;
  }();
  return infos;
}

std::unique_ptr<Scorer> make_scorer(const std::string& id, const ScorerOptions& options) {
  std::string known;
  for (const auto& entry : entries()) {
    if (entry.info.id == id) return entry.make(options);
    known += (known.empty() ? "" : ", ") + entry.info.id;
  }
  throw InputError("unknown scorer '" + id + "' (known: " + known + ")");
}

}  // namespace rrg::metrics
