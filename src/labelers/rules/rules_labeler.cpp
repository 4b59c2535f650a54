// The `rules` labeler's pipeline: mention extraction, cue scope, classification and aggregation
// (see rules_labeler.h for the stages and the paper they follow).
//
// State: the parsed lists and their trie, immutable after construction. Per-report buffers live
// in a thread_local Scratch so that labeling allocates nothing once the buffers have grown.
#include "rrg/labelers/rules/rules_labeler.h"

#include <algorithm>
#include <utility>

#include "rrg/core/parallel.h"
#include "rrg/labelers/vocabulary.h"

namespace rrg::labelers {
namespace {

// Version of the classification code; part of identity() so that a change of the algorithm
// changes the identity even when the lists stay the same. Bump it with every behaviour change.
constexpr std::string_view kEngineVersion = "rules-engine/3";

// Scope windows, in tokens between the cue and the mention. NegBio bounds scope with the
// dependency graph; a token window plus the sentence and terminator limits approximates it.
// Pre-cues reach across long lists ("no focal consolidation, pleural effusion, or
// pneumothorax"); post-cues ("... are not seen") only across a short noun phrase.
constexpr std::uint32_t kPreCueWindow = 14;
constexpr std::uint32_t kPostCueWindow = 6;
// A structure is the subject of its clause, and its predicate may follow a list of further
// subjects that R2Gen-style cleaning has stripped of commas: "heart xxxx mediastinum xxxx bony
// structures and lung xxxx are unremarkable".
constexpr std::uint32_t kStructurePostCueWindow = 10;
// An alternative ("or", "versus") joins the mentions right next to it: "atelectasis or
// subsegmental scarring", not "cardiomegaly with effusion or atelectasis".
constexpr std::uint32_t kAlternativeWindow = 2;

// Cue::pre_scope / post_scope when no rule of that direction has the span.
constexpr int kNoRule = -2;

// The reach of a span listed by two rules: the wider one; -1 (the default window) beats any N.
int merge_scope(int a, int b) {
  if (a == kNoRule) return b;
  if (b == kNoRule) return a;
  return (a < 0 || b < 0) ? -1 : std::max(a, b);
}

enum CueBits : std::uint8_t {
  kNegPre = 1,
  kNegPost = 2,
  kUncPre = 4,
  kUncPost = 8,
  kTerm = 16,
  kPseudo = 32,
  kAlt = 64,
  kStructOnly = 128,  // "[structure-only]": qualifies [structure] mentions only
};

std::uint8_t cue_bit(RuleKind kind) {
  switch (kind) {
    case RuleKind::kNegationPre:
      return kNegPre;
    case RuleKind::kNegationPost:
      return kNegPost;
    case RuleKind::kUncertaintyPre:
      return kUncPre;
    case RuleKind::kUncertaintyPost:
      return kUncPost;
    case RuleKind::kTerminator:
      return kTerm;
    case RuleKind::kPseudo:
      return kPseudo;
    case RuleKind::kAlternative:
      return kAlt;
    default:
      return 0;
  }
}

// Combines two labels of one observation: positive > uncertain > negative > blank.
int rank(Label label) {
  switch (label) {
    case Label::kPositive:
      return 3;
    case Label::kUncertain:
      return 2;
    case Label::kNegative:
      return 1;
    case Label::kBlank:
      break;
  }
  return 0;
}

// Tokens covered by the longest phrase ("$" covers none); bounds the overlap checks.
std::uint32_t longest_phrase(const std::vector<Rule>& rules) {
  std::uint32_t longest = 1;
  for (const Rule& rule : rules) {
    std::uint32_t length = 0;
    for (const PatternToken& token : rule.pattern) {
      if (token.type != PatternToken::Type::kEnd) ++length;
    }
    longest = std::max(longest, length);
  }
  return longest;
}

}  // namespace

struct RulesLabeler::Cue {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint8_t bits = 0;   // CueBits of every rule with this span
  std::uint32_t rule = 0;  // one rule of the span
  // "[scope=N]" of the span's pre-cue rules and of its post-cue rules (a phrase may be listed
  // in both directions with different reaches): -1 = the default window, kNoRule = no rule of
  // that direction.
  int pre_scope = kNoRule;
  int post_scope = kNoRule;
  bool negatable = false;  // "[negatable]" on every rule of the span
};

struct RulesLabeler::Mention {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  int observation = -1;  // -1: other finding
  std::uint32_t rule = 0;
  bool uncertain = false;
  bool negated_only = false;
  bool no_negative = false;
  bool descriptive = false;
  bool structure = false;
  bool even_negated = false;  // an other finding that keeps No Finding blank even when negated
  bool vetoed = false;        // by an unmention or a longer mention of the same observation
};

struct RulesLabeler::Unmention {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  int observation = -1;
};

struct RulesLabeler::Classification {
  Label label = Label::kPositive;
  const Cue* cue = nullptr;  // the cue that decided, nullptr when none did
  bool ignored = false;      // the mention's flags drop it ([negated-only], [no-negative])
};

struct RulesLabeler::Scratch {
  TokenizedReport report;
  std::vector<std::int32_t> ids;
  std::vector<PhraseMatch> matches;
  std::vector<Cue> candidates;
  std::vector<Cue> cues;
  std::vector<Mention> mentions;
  std::vector<Unmention> unmentions;
  std::vector<std::uint32_t> commas_before;  // commas_before[i]: ',' tokens before token i
};

RulesLabeler::RulesLabeler(RuleSet rules, std::size_t threads)
    : rules_(std::move(rules)),
      matcher_(rules_.rules),
      max_phrase_tokens_(longest_phrase(rules_.rules)),
      identity_("rules@" + short_hash(std::string(kEngineVersion) + "|" + rules_.hash)),
      threads_(resolve_threads(threads)) {}

namespace {

// Labels texts[0..n) with `label_one`: reports are independent, so blocks of them run on every
// thread, each result in its own slot.
template <typename Texts, typename LabelOne>
std::vector<LabelResult> label_all(const Texts& texts, std::size_t threads,
                                   const LabelOne& label_one) {
  constexpr std::size_t kBlock = 64;
  std::vector<LabelResult> results(texts.size());
  parallel_for((texts.size() + kBlock - 1) / kBlock, threads, [&](std::size_t task, std::size_t) {
    const std::size_t last = std::min(texts.size(), (task + 1) * kBlock);
    for (std::size_t i = task * kBlock; i < last; ++i) results[i].labels = label_one(texts[i]);
  });
  return results;
}

}  // namespace

std::vector<LabelResult> RulesLabeler::label(const std::vector<std::string>& texts) {
  return label_all(texts, threads_, [this](std::string_view text) { return label_one(text); });
}

std::vector<LabelResult> RulesLabeler::label_views(const std::vector<std::string_view>& texts) {
  return label_all(texts, threads_, [this](std::string_view text) { return label_one(text); });
}

LabelRow RulesLabeler::label_one(std::string_view text) const {
  thread_local Scratch scratch;
  return run(text, scratch, nullptr);
}

std::vector<MentionTrace> RulesLabeler::explain(std::string_view text) const {
  Scratch scratch;
  std::vector<MentionTrace> trace;
  run(text, scratch, &trace);
  return trace;
}

LabelRow RulesLabeler::run(std::string_view text, Scratch& s,
                           std::vector<MentionTrace>* trace) const {
  tokenize_report(text, s.report);
  find_phrases(s);
  choose_cues(s);
  drop_vetoed_mentions(s);

  LabelRow row = blank_row();
  bool other_finding = false;
  for (const Mention& mention : s.mentions) {
    if (mention.vetoed) continue;
    const Classification decision = classify(mention, s);
    if (decision.ignored) continue;
    if (mention.observation < 0) {
      other_finding = other_finding || decision.label == Label::kPositive ||
                      decision.label == Label::kUncertain || mention.even_negated;
    } else {
      Label& slot = row[static_cast<std::size_t>(mention.observation)];
      if (rank(decision.label) > rank(slot)) slot = decision.label;
    }
    if (trace != nullptr) trace->push_back(describe(mention, decision, s));
  }

  // No Finding (CheXpert): 1 when nothing but Support Devices is positive or uncertain.
  bool abnormal = other_finding;
  for (std::size_t i = 0; i < kNumObservations && !abnormal; ++i) {
    if (i == kNoFinding || i == kSupportDevices) continue;
    abnormal = row[i] == Label::kPositive || row[i] == Label::kUncertain;
  }
  row[kNoFinding] = abnormal ? Label::kBlank : Label::kPositive;
  return row;
}

void RulesLabeler::find_phrases(Scratch& s) const {
  const std::vector<ReportToken>& tokens = s.report.tokens;
  matcher_.lookup_ids(s.report, s.ids);
  s.commas_before.resize(tokens.size() + 1);
  s.commas_before[0] = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    s.commas_before[i + 1] = s.commas_before[i] + (tokens[i].text == "," ? 1 : 0);
  }
  s.matches.clear();
  for (std::uint32_t i = 0; i < tokens.size(); ++i) {
    matcher_.match_at(s.report, s.ids, i, s.matches);
  }
  // Sort the matches into cue candidates, mentions and unmentions; all stay ordered by their
  // first token because the matcher runs start by start.
  s.candidates.clear();
  s.mentions.clear();
  s.unmentions.clear();
  for (const PhraseMatch& match : s.matches) {
    const Rule& rule = rules_.rules[match.rule];
    switch (rule.kind) {
      case RuleKind::kMention:
      case RuleKind::kOtherFinding:
        s.mentions.push_back(Mention{match.begin, match.end, rule.observation, match.rule,
                                     rule.uncertain, rule.negated_only, rule.no_negative,
                                     rule.descriptive, rule.structure, rule.even_negated, false});
        break;
      case RuleKind::kUnmention:
        s.unmentions.push_back(Unmention{match.begin, match.end, rule.observation});
        break;
      default:
        s.candidates.push_back(Cue{
            match.begin, match.end,
            static_cast<std::uint8_t>(cue_bit(rule.kind) | (rule.structure_only ? kStructOnly : 0)),
            match.rule,
            (rule.kind == RuleKind::kNegationPre || rule.kind == RuleKind::kUncertaintyPre)
                ? rule.scope
                : kNoRule,
            (rule.kind == RuleKind::kNegationPost || rule.kind == RuleKind::kUncertaintyPost)
                ? rule.scope
                : kNoRule,
            rule.negatable});
        break;
    }
  }
}

void RulesLabeler::choose_cues(Scratch& s) {
  // At each start the longest phrase wins ("cannot be excluded" over "not"), and a cue that
  // starts inside an earlier chosen one is dropped; phrases with the same span (a phrase listed
  // in two cue files) merge their kinds.
  std::sort(s.candidates.begin(), s.candidates.end(), [](const Cue& a, const Cue& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  s.cues.clear();
  for (const Cue& cue : s.candidates) {
    if (!s.cues.empty()) {
      Cue& last = s.cues.back();
      if (cue.begin == last.begin && cue.end == last.end) {
        // [structure-only] holds for the span only when every rule of it has the flag.
        const bool structure_only = (last.bits & kStructOnly) && (cue.bits & kStructOnly);
        last.bits = static_cast<std::uint8_t>((last.bits | cue.bits) & ~kStructOnly);
        if (structure_only) last.bits |= kStructOnly;
        last.negatable = last.negatable && cue.negatable;
        last.pre_scope = merge_scope(last.pre_scope, cue.pre_scope);
        last.post_scope = merge_scope(last.post_scope, cue.post_scope);
        continue;
      }
      if (cue.begin < last.end) continue;
    }
    s.cues.push_back(cue);
  }
}

void RulesLabeler::drop_vetoed_mentions(Scratch& s) const {
  // Unmentions veto overlapping mentions of their observation; a mention inside a longer
  // mention of the same observation is the same mention. Both lists are ordered by their first
  // token and no phrase spans more than max_phrase_tokens_, so each check only looks at a
  // bounded window, even in a very long report.
  const std::uint32_t reach = max_phrase_tokens_;
  std::size_t first_veto = 0;
  std::size_t first_container = 0;
  for (std::size_t k = 0; k < s.mentions.size(); ++k) {
    Mention& mention = s.mentions[k];
    while (first_veto < s.unmentions.size() &&
           s.unmentions[first_veto].begin + reach <= mention.begin) {
      ++first_veto;
    }
    for (std::size_t v = first_veto; v < s.unmentions.size(); ++v) {
      const Unmention& veto = s.unmentions[v];
      if (veto.begin >= mention.end) break;
      if (veto.observation == mention.observation && mention.begin < veto.end) {
        mention.vetoed = true;
        break;
      }
    }
    if (mention.vetoed) continue;
    while (s.mentions[first_container].begin + reach <= mention.begin) ++first_container;
    for (std::size_t j = first_container; j < s.mentions.size(); ++j) {
      const Mention& other = s.mentions[j];
      if (other.begin > mention.begin) break;
      if (j == k || other.observation != mention.observation) continue;
      const bool inside = mention.end <= other.end;
      const bool longer = other.end - other.begin > mention.end - mention.begin;
      if (inside && (longer || j < k)) {
        mention.vetoed = true;
        break;
      }
    }
  }
}

const RulesLabeler::Cue* RulesLabeler::governing_negation(std::vector<Cue>::const_iterator cue,
                                                          std::uint32_t mention_begin,
                                                          const Scratch& s) {
  const std::vector<ReportToken>& tokens = s.report.tokens;
  const std::uint32_t sentence = tokens[cue->begin].sentence;
  const std::uint32_t commas = s.commas_before[cue->begin];
  for (auto it = cue; it != s.cues.begin();) {
    --it;
    if (tokens[it->begin].sentence != sentence) return nullptr;
    if (mention_begin - it->end > kPreCueWindow) return nullptr;
    if (s.commas_before[it->end] != commas) return nullptr;  // another clause
    if (it->bits & (kPseudo | kStructOnly | kAlt)) continue;
    return (it->bits & kNegPre) ? &*it : nullptr;  // a terminator or another cue stops here
  }
  return nullptr;
}

RulesLabeler::Classification RulesLabeler::classify(const Mention& mention, const Scratch& s) {
  const std::vector<ReportToken>& tokens = s.report.tokens;
  const std::uint32_t sentence = tokens[mention.begin].sentence;
  const auto first_after =
      std::lower_bound(s.cues.begin(), s.cues.end(), mention.begin,
                       [](const Cue& cue, std::uint32_t pos) { return cue.begin < pos; });

  // A cue inside the mention's wording, after its first token, qualifies the mention's own
  // predicate: "heart is not enlarged" matched by "heart _ _ enlarged".
  const Cue* inner = nullptr;
  for (auto it = first_after; it != s.cues.end() && it->begin < mention.end; ++it) {
    if (it->begin > mention.begin && (it->bits & (kNegPre | kNegPost | kUncPre | kUncPost))) {
      inner = &*it;
      break;
    }
  }
  // An alternative right before or after the mention ("atelectasis or scarring"), without a
  // comma between: the weakest uncertainty, below negation ("no effusion or pneumothorax").
  const Cue* alternative = nullptr;

  // A stability cue ("stable", "unchanged", [structure-only]) within reach of a [structure]
  // mention; every other mention looks through such cues.
  const Cue* stable = nullptr;
  auto in_scope = [](int scope, std::uint32_t distance) {
    return scope < 0 || distance <= static_cast<std::uint32_t>(scope);
  };
  // `direction` is kUncPre for a cue before the mention, kUncPost for one after it: a
  // stability cue listed only before mentions ("no change in") does not apply after one.
  auto note_stable = [&](const Cue& cue, std::uint32_t distance, std::uint8_t direction) {
    if (!mention.structure || stable != nullptr || !(cue.bits & direction)) return;
    if (in_scope(direction == kUncPre ? cue.pre_scope : cue.post_scope, distance)) stable = &cue;
  };

  // Nearest cue before the mention.
  const Cue* pre = nullptr;
  for (auto it = first_after; it != s.cues.begin();) {
    --it;
    const Cue& cue = *it;
    if (tokens[cue.begin].sentence != sentence) break;
    if (cue.end > mention.begin) continue;  // overlaps the mention: part of its wording
    const std::uint32_t distance = mention.begin - cue.end;
    if (distance > kPreCueWindow) break;
    if (cue.bits & kTerm) break;
    if (cue.bits & kPseudo) continue;  // not a cue; it only hides the cue words inside it
    if (cue.bits & kStructOnly) {
      note_stable(cue, distance, kUncPre);
      continue;
    }
    if (cue.bits & kAlt) {
      if (alternative == nullptr && distance <= kAlternativeWindow &&
          s.commas_before[cue.end] == s.commas_before[mention.begin]) {
        alternative = &cue;
      }
      continue;
    }
    if (cue.bits & (kNegPre | kUncPre)) {
      // An adjective-like cue ("normal heart size") reaches only its own noun phrase.
      if (in_scope(cue.pre_scope, distance)) pre = &cue;
      // "No focal consolidation concerning for pneumonia": a [negatable] uncertainty cue inside
      // the scope of a negation is part of the negated phrase (NegBio negates the whole
      // dependent; CheXpert's "no NN to suggest XXX" pattern), so the negation decides.
      if (pre == &cue && cue.negatable && !(cue.bits & kNegPre)) {
        if (const Cue* negation = governing_negation(it, mention.begin, s)) pre = negation;
      }
      break;
    }
    if (cue.bits & (kNegPost | kUncPost)) break;  // closes an earlier clause
  }

  // Nearest cue after it.
  const Cue* post = nullptr;
  for (auto it = first_after; it != s.cues.end(); ++it) {
    const Cue& cue = *it;
    if (tokens[cue.begin].sentence != sentence) break;
    if (cue.begin < mention.end) continue;  // inside the mention
    const std::uint32_t distance = cue.begin - mention.end;
    if (distance > (mention.structure ? kStructurePostCueWindow : kPostCueWindow)) break;
    // A post-cue reaches back over a coordinated list ("effusion and pneumothorax are not
    // seen") but not over a comma: in "opacity, atelectasis versus scarring" the opacity itself
    // is certain. A structure is the subject of its clause, so its predicate may follow a
    // comma-separated list ("The heart, pulmonary vessels and mediastinum are normal").
    if (s.commas_before[cue.begin] != s.commas_before[mention.end] &&
        !(mention.structure && stable == nullptr)) {
      break;
    }
    if (cue.bits & kTerm) break;
    if (cue.bits & kPseudo) continue;
    if (cue.bits & kStructOnly) {
      note_stable(cue, distance, kUncPost);
      continue;
    }
    if (cue.bits & kAlt) {
      if (alternative == nullptr && distance <= kAlternativeWindow) alternative = &cue;
      continue;
    }
    if (cue.bits & (kNegPost | kUncPost)) {
      if (in_scope(cue.post_scope, distance)) post = &cue;
      break;
    }
    if (cue.bits & (kNegPre | kUncPre)) break;  // opens the next clause
  }

  // NegBio's order: uncertainty phrases that contain a negation ("cannot be excluded") first,
  // then negation, then the remaining uncertainty cues; alternatives last.
  Classification out;
  if (inner != nullptr) {
    out = {(inner->bits & (kNegPre | kNegPost)) ? Label::kNegative : Label::kUncertain, inner};
  } else if (post != nullptr && (post->bits & kUncPost)) {
    out = {Label::kUncertain, post};
  } else if (pre != nullptr && (pre->bits & kNegPre)) {
    out = {Label::kNegative, pre};
  } else if (post != nullptr && (post->bits & kNegPost)) {
    out = {Label::kNegative, post};
  } else if (pre != nullptr && (pre->bits & kUncPre)) {
    out = {Label::kUncertain, pre};
  } else if (alternative != nullptr && !mention.descriptive) {
    out = {Label::kUncertain, alternative};
  }
  // The mention's flags.
  if (out.label == Label::kPositive && mention.uncertain) out.label = Label::kUncertain;
  out.ignored = (mention.negated_only && out.label != Label::kNegative) ||
                (mention.no_negative && out.label == Label::kNegative);
  if (mention.structure && out.label != Label::kNegative) {
    // CheXpert's rule for stability statements about the heart and the cardiomediastinal
    // silhouette (its post-negation uncertainty patterns): "stable cardiomediastinal
    // silhouette" is uncertain; a negation ("stable, normal heart size") wins.
    if (stable != nullptr) {
      out = {Label::kUncertain, stable};
    } else {
      out.ignored = true;
    }
  }
  return out;
}

MentionTrace RulesLabeler::describe(const Mention& mention, const Classification& decision,
                                    const Scratch& s) const {
  const std::vector<ReportToken>& tokens = s.report.tokens;
  auto span_text = [&tokens](std::uint32_t begin, std::uint32_t end) {
    std::string text;
    for (std::uint32_t t = begin; t < end; ++t) {
      if (t > begin) text += ' ';
      text += tokens[t].text;
    }
    return text;
  };
  MentionTrace item;
  item.observation =
      mention.observation < 0
          ? std::string("other finding")
          : std::string(kObservationNames[static_cast<std::size_t>(mention.observation)]);
  item.text = span_text(mention.begin, mention.end);
  const Rule& rule = rules_.rules[mention.rule];
  item.rule = rule.file + ":" + std::to_string(rule.line);
  item.label = decision.label;
  if (decision.cue != nullptr) item.cue = span_text(decision.cue->begin, decision.cue->end);
  item.sentence = tokens[mention.begin].sentence;
  return item;
}

std::string RulesLabeler::note() const {
  // The figures of docs/rules-labeler.md ("Accuracy"), measured with `rrg annotate --agreement`.
  return "labels from the built-in rules labeler (" + identity_ +
         ") approximate CheXbert's: against CheXbert they agree at positive-class micro F1 0.971 "
         "on IU X-Ray impressions and lower on full reports (docs/rules-labeler.md); for the "
         "figures papers report use --labeler chexbert (docs/chexbert.md)";
}

std::unique_ptr<Labeler> make_rules_labeler(const LabelerOptions& options) {
  if (options.rules_dir.empty()) {
    return std::make_unique<RulesLabeler>(embedded_rule_set(), options.threads);
  }
  return std::make_unique<RulesLabeler>(load_rule_dir(options.rules_dir), options.threads);
}

}  // namespace rrg::labelers
