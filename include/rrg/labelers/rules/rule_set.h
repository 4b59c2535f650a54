// The phrase and cue lists of the rule-based labeler, parsed from the files under data/rules/
// (compiled into rrg) or from a directory given at run time (LabelerOptions::rules_dir).
//
// A rule directory holds exactly the files named by rule_file_names():
//   mention/<observation>.txt  one per CheXpert observation except No Finding, in snake case
//                              ("mention/pleural_effusion.txt"): phrases that mention it
//   mention/other_finding.txt  abnormalities outside the 13 observations (emphysema, hernia...):
//                              a positive or uncertain one keeps No Finding blank
//   cue/negation_pre.txt ...   the negation, uncertainty, alternative, terminator and
//                              pseudo-cue lists
// Syntax of every file (docs/rules-labeler.md has the full description):
//   # comment to the end of the line          blank lines are ignored
//   pleural effusion*                         one phrase per line, matched token by token
//   !pericardial effusion                     mention files: an "unmention" that vetoes
//                                             overlapping mentions of the file's observation
//   heart failure [uncertain]                 mention files: a positive match counts as uncertain
//   heart size [negated-only]                 mention files: counts only when negated ("normal
//                                             heart size"), ignored otherwise
//   infiltrat* [no-negative]                  mention files: a negated match is ignored (the
//                                             negation is reported by another file's phrase)
//   normal [scope=3]                          negation/uncertainty cues: reach at most 3 tokens
//   opacit* [descriptive]                     mention files: a described appearance, certain
//                                             even when its cause is a differential
//                                             ("opacity, atelectasis or scar")
//   cardiomediastinal silhouette [structure]  mention files: a structure named in normal or
//                                             stability statements: negated it counts 0
//                                             ("normal ... silhouette"), qualified by a
//                                             [structure-only] cue ("stable") it counts -1,
//                                             otherwise it is ignored
//   stable [structure-only]                   uncertainty cues: qualifies only [structure]
//                                             mentions; every other mention looks through it
//   concerning for [negatable]                uncertainty_pre cues: inside the scope of a
//                                             negation the negation decides ("no opacity
//                                             concerning for pneumonia" -> 0)
//   rib fractur* [even-negated]               other_finding.txt: keeps No Finding blank even
//                                             when negated (CheXbert does not call a report
//                                             that rules out rib fractures normal)
// A pattern token is a word ("effusion"), a prefix ending in '*' ("opacit*" matches "opacity",
// "opacities"), '_' (exactly one word, e.g. "heart _ enlarged") or, last, '$' (the clause ends
// here: "normal $" matches "heart size normal." but not "normal lung"). Phrases are tokenized like
// reports, so "x-ray" and "x ray" are the same phrase and case does not matter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rrg::labelers {

// What a phrase does, decided by the file that holds it.
enum class RuleKind : std::uint8_t {
  kMention,          // mention/<observation>.txt: mentions the observation
  kUnmention,        // "!" line of a mention file: vetoes overlapping mentions of it
  kOtherFinding,     // mention/other_finding.txt: an abnormality outside the 13 observations
  kNegationPre,      // cue/negation_pre.txt: negates mentions after it ("no", "without")
  kNegationPost,     // cue/negation_post.txt: negates mentions before it ("is not seen")
  kUncertaintyPre,   // cue/uncertainty_pre.txt: "possible", "may represent"
  kUncertaintyPost,  // cue/uncertainty_post.txt: "cannot be excluded", "is suspected"
  kTerminator,       // cue/terminator.txt: ends the scope of every cue ("but", "however")
  kPseudo,           // cue/pseudo.txt: contains a cue word but is no cue ("no change")
  kAlternative,      // cue/alternative.txt: joins alternatives ("atelectasis or scarring")
};

struct PatternToken {
  enum class Type : std::uint8_t {
    kExact,    // the token equals `text`
    kPrefix,   // the token starts with `text` (written "text*")
    kAnyWord,  // any single word or number (written "_")
    kEnd,      // the end of a clause, consumes nothing (written "$", last token only): the end
               // of the sentence or a following ',' ':' or ')'
  };
  Type type = Type::kExact;
  std::string text;
};

struct Rule {
  std::vector<PatternToken> pattern;
  RuleKind kind = RuleKind::kMention;
  int observation = -1;         // kObservationNames index for mentions and unmentions, else -1
  bool uncertain = false;       // "[uncertain]": a positive mention counts as uncertain
  bool negated_only = false;    // "[negated-only]": only a negated mention counts
  bool no_negative = false;     // "[no-negative]": a negated mention is ignored
  bool descriptive = false;     // "[descriptive]": alternatives ("A or B") leave it positive
  bool structure = false;       // "[structure]": counts when negated (0) or called stable (-1)
  bool structure_only = false;  // "[structure-only]" on a cue: qualifies [structure] mentions only
  bool negatable = false;     // "[negatable]" on an uncertainty_pre cue: a negation before it wins
  bool even_negated = false;  // "[even-negated]" on an other finding: keeps No Finding blank
                              // even when negated ("no displaced rib fractures")
  int scope = -1;        // "[scope=N]" on a cue: at most N tokens to the mention; -1 = the default
  std::string file;      // file name relative to the rule directory, for messages
  std::size_t line = 0;  // 1-based line in that file
};

// One rule file: its name relative to the rule directory and its text.
struct RuleFile {
  std::string name;
  std::string content;
};

struct RuleSet {
  std::vector<Rule> rules;
  // 8 hex digits (FNV-1a 64, folded) over the parsed rules and the engine version: edits of
  // comments or spacing keep it, any change of a phrase changes it.
  std::string hash;
};

// Every file a rule directory must hold, in the order they are parsed.
const std::vector<std::string>& rule_file_names();

// Parses `files` (exactly the names of rule_file_names(), any order). Messages name
// `display_root` + "/" + file name and the line. Throws rrg::InputError on a missing, unknown
// or malformed file.
RuleSet parse_rule_files(const std::vector<RuleFile>& files, const std::string& display_root);

// Reads and parses every file of rule_file_names() under `dir`. Throws rrg::InputError when the
// directory or a file is missing or malformed.
RuleSet load_rule_dir(const std::string& dir);

// The lists compiled into rrg from data/rules/ (parsed once, cached).
const RuleSet& embedded_rule_set();

// FNV-1a 64 of `bytes` (the hash of RuleSet::hash and of the trie's vocabulary table).
std::uint64_t fnv1a_64(std::string_view bytes);

// 8 hex digits: fnv1a_64 folded to 32 bits. RuleSet::hash and RulesLabeler::identity() use it.
std::string short_hash(std::string_view bytes);

}  // namespace rrg::labelers
