// The scorer registry: one line per scorer, filled once (std::call_once), no self-registration.
#include "rrg/metrics/registry.h"

#include <algorithm>
#include <functional>
#include <mutex>
#include <set>

#include "rrg/core/errors.h"
#include "rrg/metrics/bertscore/bertscore_metric.h"
#include "rrg/metrics/clinical/clinical_scorer.h"
#include "rrg/metrics/clinical/similarity_scorer.h"
#include "rrg/metrics/green/green_metric.h"
#include "rrg/metrics/lexical/coco_bleu_scorer.h"
#include "rrg/metrics/lexical/coco_cider_scorer.h"
#include "rrg/metrics/lexical/coco_rouge_scorer.h"
#include "rrg/metrics/lexical/nltk_bleu_scorer.h"
#include "rrg/metrics/lexical/nltk_meteor.h"
#include "rrg/metrics/lexical/rouge_score.h"
#include "rrg/metrics/radgraph/radcliq.h"
#include "rrg/metrics/radgraph/radgraph_metric.h"
#include "rrg/text/suggest.h"

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

// RadGraph_radcliq and RadCliQ-v1's RadGraph feature read the RadCliQ extractor (the original
// radgraph checkpoint), which defaults to the reward levels' one.
std::shared_ptr<radgraph::GraphExtractor> radcliq_extractor(const ScorerOptions& o) {
  return o.radcliq_radgraph ? o.radcliq_radgraph : o.radgraph;
}

std::unique_ptr<Scorer> make_radgraph_rewards(const ScorerOptions& o) {
  return std::make_unique<radgraph::RadGraphMetric>(
      radgraph::RadGraphMetricOptions{o.radgraph, radgraph::RadGraphKeys::kRewards});
}

std::unique_ptr<Scorer> make_radgraph_radcliq(const ScorerOptions& o) {
  return std::make_unique<radgraph::RadGraphMetric>(
      radgraph::RadGraphMetricOptions{radcliq_extractor(o), radgraph::RadGraphKeys::kRadCliq});
}

// RadCliQ-v1 over its four component scorers (radcliq.h gives the key of each feature).
std::unique_ptr<Scorer> make_radcliq(const ScorerOptions& o) {
  if (!o.radcliq_bertscore) {
    throw InputError("RadCliQ-v1 needs its BERTScore model: --radcliq-bertscore-model DIR");
  }
  radgraph::RadCliqV1Options r;
  r.model = radgraph::radcliq_v1_model(o.radcliq_coefficients);
  if (r.model == nullptr) {
    throw InputError("unknown RadCliQ-v1 coefficients '" + o.radcliq_coefficients +
                     "' (known: radeval, cxr-report-metric)");
  }
  r.radgraph = {std::shared_ptr<const Scorer>(make_radgraph_radcliq(o)), 0};
  r.bertscore = {std::make_shared<bertscore::BertScoreMetric>(*o.radcliq_bertscore), 2};  // F1
  r.semb = {std::make_shared<ChexbertSimilarityScorer>(), 0};
  r.bleu2 = {std::make_shared<CocoBleuScorer>(), 1};  // Bleu_2
  return std::make_unique<radgraph::RadCliqV1Metric>(std::move(r));
}

const char* const kClinicalSummary =
    "chexpert_{micro,macro,weighted}_{precision,recall,f1}_{14,5}_{uzeros,uones},\n"
    "      chexpert_example_{precision,recall,f1}_{uzeros,uones},\n"
    "      chexpert_table_{auc,f1,recall,specificity,n_pos,n_neg}_<observation>,\n"
    "      chexpert_table_macro_{auc,f1,recall,specificity}, chexpert_table_n_valid,\n"
    "      per sample: n_agree, n_disagree (docs/metrics-clinical.md defines each key)";

std::vector<Entry>& entries() {
  static std::vector<Entry> table;
  static std::once_flag filled;
  std::call_once(filled, [] {
    // Order here is the order of the output table.
    // clang-format off
    table.push_back({{"coco-bleu", "coco", {"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4"}, "pycocoevalcap 1.2 BLEU (option closest, tokens str.split())", ScorerNeeds::kTexts, "", {}, true}, make<CocoBleuScorer>});
    table.push_back({{"coco-rouge", "coco", {"ROUGE_L"}, "pycocoevalcap 1.2 ROUGE-L (beta 1.2, tokens str.split(' '))", ScorerNeeds::kTexts, "", {}, true}, make<CocoRougeScorer>});
    table.push_back({{"coco-cider", "coco", {"CIDEr"}, "pycocoevalcap 1.2 CIDEr-D (sigma 6, df from the corpus references)", ScorerNeeds::kTexts, "", {}, true}, make<CocoCiderScorer>});
    table.push_back({{"nltk-bleu", "seed", {"BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4"}, "NLTK 3.8 corpus_bleu/sentence_bleu (method1, tokens lower().split())", ScorerNeeds::kTexts, "", {}, false}, make<NltkBleuScorer>});
    table.push_back({{"rouge-score", "seed", {"ROUGE-L"}, "rouge-score 0.1.2 ROUGE-L F (LCS, NLTK Porter stems), mean over samples", ScorerNeeds::kTexts, "", {}, false}, make<RougeScoreScorer>});
    table.push_back({{"nltk-meteor", "seed", {"METEOR"}, "NLTK 3.8 meteor_score (exact, Porter stem, WordNet 3.0 synonyms), mean over samples", ScorerNeeds::kTexts, "", {}, false}, [](const ScorerOptions& o) -> std::unique_ptr<Scorer> { return std::make_unique<NltkMeteorScorer>(o.wordnet_dir); }});
    table.push_back({{"clinical", "clinical", ClinicalScorer().names(), "the 14 CheXpert observations of prediction and first reference (needs --labeler)", ScorerNeeds::kLabels, kClinicalSummary, {}, false}, make<ClinicalScorer>});
    table.push_back({{"chexbert-similarity", "embed", {kChexbertSimilarityName}, "cosine of the two reports' CheXbert [CLS] embeddings (RadCliQ's s_emb; needs --labeler chexbert; selected with the clinical family)", ScorerNeeds::kEmbeddings, "", {}, false}, make<ChexbertSimilarityScorer>});
    table.push_back({{"bertscore", "bertscore", bertscore::BertScorer::metric_names(), "bert_score 0.3.13 BERTScore P/R/F1 (greedy matching of contextual embeddings; max over references; needs --bertscore-model)", ScorerNeeds::kBertScoreModel, "", {"BERTScore"}, true}, [](const ScorerOptions& o) -> std::unique_ptr<Scorer> { return std::make_unique<bertscore::BertScoreMetric>(*o.bertscore); }});
    table.push_back({{"radgraph", "radgraph", {radgraph::kRadGraphSimpleName, radgraph::kRadGraphPartialName, radgraph::kRadGraphCompleteName}, "F1RadGraph's reward levels as RadEval's radgraph gives them (RadEval: the radgraph-xl checkpoint; needs --radgraph-model)", ScorerNeeds::kRadGraphModel, "", {"RadGraph"}, true}, make_radgraph_rewards});
    table.push_back({{"radgraph-radcliq", "radgraph", {radgraph::kRadGraphRadCliqName}, "RadCliQ's RadGraph score, mean of entity and relation F1 (RadEval: the original radgraph checkpoint, --radcliq-radgraph-model; default --radgraph-model)", ScorerNeeds::kRadGraphModel, "", {}, true}, make_radgraph_radcliq});
    table.push_back({{"radcliq", "radcliq", {radgraph::kRadCliqV1Name}, "RadCliQ-v1 (Yu et al. 2023): RadGraph, BERTScore, CheXbert similarity and BLEU-2 in the published linear model; corpus 1/mean as RadEval (needs --radgraph-model, --labeler chexbert and --radcliq-bertscore-model)", ScorerNeeds::kRadCliq, "", {"RadCliQ"}, true}, make_radcliq});
    table.push_back({{"green", "green", green::GreenMetric::key_names(), "GREEN (LLM judge through an OpenAI-compatible server; GREEN's prompt and parser; needs --green-base-url and --green-model)", ScorerNeeds::kGreenServer, "GREEN, GREEN_std, GREEN_{a_false_finding,b_missing_finding,c_wrong_location,\n      d_wrong_severity,e_false_comparison,f_missing_comparison}, GREEN_matched,\n      GREEN_insignificant (docs/green.md)", {}, true}, [](const ScorerOptions& o) -> std::unique_ptr<Scorer> { return std::make_unique<green::GreenMetric>(*o.green); }});
    // clang-format on
  });
  return table;
}

bool in_group(const ScorerInfo& info, const std::string& group) {
  if (group == "all") return true;
  if (group == "lexical") return info.family == "coco" || info.family == "seed";
  // The embedding similarity comes with the clinical family (it needs the same labeler).
  if (group == "clinical") return info.family == "clinical" || info.family == "embed";
  return info.family == group;
}

bool available(const ScorerInfo& info, const SelectionContext& context) {
  switch (info.needs) {
    case ScorerNeeds::kTexts:
      return true;
    case ScorerNeeds::kLabels:
      return context.labels;
    case ScorerNeeds::kEmbeddings:
      return context.embeddings;
    case ScorerNeeds::kGreenServer:
      return context.green;
    case ScorerNeeds::kBertScoreModel:
      return context.bertscore;
    case ScorerNeeds::kRadGraphModel:
      return context.radgraph;
    case ScorerNeeds::kRadCliq:
      return context.radgraph && context.embeddings && context.radcliq_bertscore;
  }
  return false;
}

// Why `info` cannot run in `context`, for a user who asked for `raw`.
std::string unavailable_message(const ScorerInfo& info, const std::string& raw,
                                const SelectionContext& context) {
  if (info.needs == ScorerNeeds::kRadGraphModel) {
    return "metric '" + raw +
           "' needs a RadGraph checkpoint; give --radgraph-model PATH (radgraph-xl.tar.gz or "
           "radgraph.tar.gz; docs/radgraph.md says where to get them)";
  }
  if (info.needs == ScorerNeeds::kRadCliq) {
    std::string missing;
    const auto add = [&](const std::string& what) {
      missing += (missing.empty() ? "" : ", ") + what;
    };
    if (!context.radgraph) add("--radgraph-model PATH (the original radgraph checkpoint)");
    if (!context.embeddings) add("--labeler chexbert (its embeddings)");
    if (!context.radcliq_bertscore) add("--radcliq-bertscore-model DIR (distilroberta-base)");
    return "metric '" + raw + "' combines RadGraph, CheXbert embeddings and BERTScore; give " +
           missing + " (docs/radgraph.md, \"RadCliQ-v1\")";
  }
  if (info.needs == ScorerNeeds::kLabels) {
    return "metric '" + raw +
           "' needs a labeler to extract the CheXpert observations; use --labeler rules (or "
           "drop it from --metrics)";
  }
  if (info.needs == ScorerNeeds::kGreenServer) {
    return "metric '" + raw +
           "' asks a GREEN judge served by an OpenAI-compatible server; give "
           "--green-base-url URL and --green-model NAME (docs/green.md)";
  }
  if (info.needs == ScorerNeeds::kBertScoreModel) {
    return "metric '" + raw +
           "' needs a Hugging Face model folder; give --bertscore-model DIR or set "
           "$RRG_BERTSCORE_MODEL (docs/bertscore.md says where to get roberta-large)";
  }
  return "metric '" + raw + "' compares CheXbert embeddings and needs --labeler chexbert";
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
  std::vector<std::string> known;
  for (const auto& entry : entries()) {
    if (entry.info.id == id) return entry.make(options);
    known.push_back(entry.info.id);
  }
  std::string list;
  for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
  throw InputError("unknown scorer '" + id + "'" + text::did_you_mean(id, known) +
                   " (known: " + list + ")");
}

SelectionContext selection_context(const ScorerOptions& options, bool labels, bool embeddings) {
  SelectionContext context;
  context.labels = labels;
  context.embeddings = embeddings;
  context.green = options.green.has_value();
  context.bertscore = options.bertscore.has_value();
  context.radgraph = options.radgraph != nullptr;
  context.radcliq_bertscore = options.radcliq_bertscore.has_value();
  return context;
}

std::vector<std::string> metric_group_names() {
  std::vector<std::string> names = {"all", "lexical"};
  for (const auto& info : scorer_infos()) {
    if (std::find(names.begin(), names.end(), info.family) == names.end()) {
      names.push_back(info.family);
    }
  }
  return names;
}

MetricSelection select_metrics(const std::vector<std::string>& requested,
                               const SelectionContext& context) {
  const auto& infos = scorer_infos();
  std::vector<std::string> wanted = requested;
  if (wanted.empty()) wanted.push_back("all");
  const std::vector<std::string> groups = metric_group_names();

  std::set<std::string> keys;
  for (const auto& raw : wanted) {
    const bool is_group = std::find(groups.begin(), groups.end(), raw) != groups.end();
    bool matched = is_group;
    for (const auto& info : infos) {
      if (is_group && in_group(info, raw)) {
        // "all" takes what the run provides; the clinical family needs its labeler.
        if (!available(info, context)) {
          if (raw != "all" && info.needs != ScorerNeeds::kEmbeddings) {
            throw InputError(unavailable_message(info, raw, context));
          }
          continue;
        }
        keys.insert(info.metric_names.begin(), info.metric_names.end());
        continue;
      }
      const bool whole = info.id == raw || std::find(info.aliases.begin(), info.aliases.end(),
                                                     raw) != info.aliases.end();
      for (const auto& name : info.metric_names) {
        if (!whole && name != raw) continue;
        if (!available(info, context)) throw InputError(unavailable_message(info, raw, context));
        keys.insert(name);
        matched = true;
      }
    }
    if (!matched) {
      std::vector<std::string> known = groups;
      for (const auto& info : infos) {
        known.push_back(info.id);
        known.insert(known.end(), info.aliases.begin(), info.aliases.end());
        known.insert(known.end(), info.metric_names.begin(), info.metric_names.end());
      }
      throw InputError("unknown metric '" + raw + "'" + text::did_you_mean(raw, known) +
                       "; `rrg evaluate --list-metrics` shows every name");
    }
  }
  MetricSelection selection;
  for (const auto& info : infos) {
    bool used = false;
    for (const auto& name : info.metric_names) {
      if (keys.count(name) != 0) {
        selection.metric_names.push_back(name);
        used = true;
      }
    }
    if (used) selection.scorer_ids.push_back(info.id);
  }
  return selection;
}

}  // namespace rrg::metrics
