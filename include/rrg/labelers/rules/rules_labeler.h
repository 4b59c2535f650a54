// The `rules` labeler: an independent C++ implementation of the CheXpert labeler design (Irvin
// et al. 2019, "CheXpert: A Large Chest Radiograph Dataset with Uncertainty Labels and Expert
// Comparison", section "Labeler", and the NegBio pipeline it builds on, Peng et al. 2018).
//
// Stages, per report:
//   1. tokenize and split sentences (report_tokenizer.h);
//   2. find mentions of the 13 observations, "other finding" phrases, unmentions and cues in one
//      pass over a token trie (phrase_matcher.h); an unmention vetoes overlapping mentions;
//   3. classify each mention as negative, uncertain or positive from the nearest negation /
//      uncertainty cue before it and after it in its sentence; terminators ("but", "which") and
//      pseudo-cues ("no change") end a cue's scope;
//   4. aggregate per observation: positive beats uncertain beats negative (so negative and
//      uncertain mentions give uncertain); No Finding is 1 when no observation other than
//      Support Devices and no other-finding phrase is positive or uncertain, else blank.
// The phrase and cue lists are data (rule_set.h); heart failure's uncertain Cardiomegaly vote is
// the "[uncertain]" flag on those phrases in mention/cardiomegaly.txt.
//
// A RulesLabeler is immutable after construction; label_one() and explain() are thread-safe, and
// label() spreads a batch over `threads` threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rrg/labelers/labeler.h"
#include "rrg/labelers/registry.h"
#include "rrg/labelers/rules/phrase_matcher.h"
#include "rrg/labelers/rules/rule_set.h"

namespace rrg::labelers {

// One mention found in a report and how it was classified (for error analysis).
struct MentionTrace {
  std::string observation;  // observation name, or "other finding"
  std::string text;         // the matched tokens
  std::string rule;         // "mention/cardiomegaly.txt:12"
  Label label = Label::kPositive;
  std::string cue;  // the cue that decided the label, "" when positive without cue
  std::size_t sentence = 0;
};

class RulesLabeler final : public Labeler {
 public:
  // `threads`: threads label() uses for a batch (0 = every core).
  explicit RulesLabeler(RuleSet rules, std::size_t threads = 1);

  std::string name() const override { return "rules"; }
  // "rules@<8 hex digits>" over the parsed lists and the engine version.
  std::string identity() const override { return identity_; }
  std::vector<LabelResult> label(const std::vector<std::string>& texts) override;
  std::vector<LabelResult> label_views(const std::vector<std::string_view>& texts) override;
  // Its labels approximate CheXbert's: the measured agreement and the pointer to chexbert.
  std::string note() const override;

  LabelRow label_one(std::string_view text) const;
  std::vector<MentionTrace> explain(std::string_view text) const;

 private:
  struct Cue;
  struct Mention;
  struct Unmention;
  struct Classification;
  struct Scratch;

  LabelRow run(std::string_view text, Scratch& scratch, std::vector<MentionTrace>* trace) const;
  // Stage 2: every phrase of the lists in the tokenized report, sorted by kind.
  void find_phrases(Scratch& s) const;
  // Stage 3: the longest cue at each position.
  static void choose_cues(Scratch& s);
  // Stage 4: unmention vetoes, same-observation mentions inside longer ones.
  void drop_vetoed_mentions(Scratch& s) const;
  // Stage 5: the label of one mention from the cues around it and its flags.
  static Classification classify(const Mention& mention, const Scratch& s);
  // The negation pre-cue whose scope holds the [negatable] cue `cue` ("no opacity concerning
  // for"), or nullptr.
  static const Cue* governing_negation(std::vector<Cue>::const_iterator cue,
                                       std::uint32_t mention_begin, const Scratch& s);
  MentionTrace describe(const Mention& mention, const Classification& decision,
                        const Scratch& s) const;

  RuleSet rules_;
  PhraseMatcher matcher_;
  std::uint32_t max_phrase_tokens_ = 1;  // tokens of the longest phrase
  std::string identity_;
  std::size_t threads_;
};

// Builds the labeler from the compiled-in lists, or from options.rules_dir when it is set.
// Throws rrg::InputError when the directory or one of its files is unusable.
std::unique_ptr<Labeler> make_rules_labeler(const LabelerOptions& options);

}  // namespace rrg::labelers
