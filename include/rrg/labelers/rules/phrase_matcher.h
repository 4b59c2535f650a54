// Finds every phrase of a RuleSet in a tokenized report: a token trie built once per rule set.
//
// The trie's edges are exact words (by vocabulary id, so a report token is hashed once, not once
// per phrase), word prefixes ("opacit*", bucketed by first letter), the any-word wildcard "_" and
// the end-of-clause mark "$".
// Matching from one start token walks the trie depth-first and reports every phrase that ends,
// so all lists (mentions, unmentions, cues) are found in a single pass without regular
// expressions. A phrase never crosses a sentence boundary.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rrg/labelers/rules/report_tokenizer.h"
#include "rrg/labelers/rules/rule_set.h"

namespace rrg::labelers {

struct PhraseMatch {
  std::uint32_t rule = 0;   // index into the RuleSet's rules
  std::uint32_t begin = 0;  // first token
  std::uint32_t end = 0;    // one past the last token
};

class PhraseMatcher {
 public:
  explicit PhraseMatcher(const std::vector<Rule>& rules);

  // Vocabulary id of every token of `report` (-1 for words no phrase contains); pass the result
  // to match_at.
  void lookup_ids(const TokenizedReport& report, std::vector<std::int32_t>& ids) const;

  // Appends to `out` every phrase that matches the tokens starting at `begin`.
  void match_at(const TokenizedReport& report, const std::vector<std::int32_t>& ids,
                std::uint32_t begin, std::vector<PhraseMatch>& out) const;

 private:
  struct Node {
    std::vector<std::pair<std::int32_t, std::uint32_t>> exact;  // (word id, child), sorted
    std::vector<std::pair<std::string, std::uint32_t>> prefix;  // (prefix, child)
    std::uint32_t any = 0;                                      // child on "_", 0 = none
    std::uint32_t end = 0;                                      // child on "$", 0 = none
    std::vector<std::uint32_t> rules;                           // rules ending here
  };

  std::int32_t intern(const std::string& word);
  std::int32_t find_word(std::string_view word) const;
  std::uint32_t child(std::uint32_t node, const PatternToken& token);
  void walk(const TokenizedReport& report, const std::vector<std::int32_t>& ids, std::uint32_t node,
            std::uint32_t begin, std::uint32_t pos, std::vector<PhraseMatch>& out) const;

  std::vector<Node> nodes_;  // nodes_[0] is the root
  // Open-addressing hash table of the vocabulary: slot -> (high 32 bits of the word's hash) << 32
  // | (word id + 1), 0 when empty; the hash bits spare most probes a look at the word itself.
  std::vector<std::string> words_;
  std::vector<std::uint64_t> slots_;
  // Root fast paths: exact children by word id, prefix children by first byte.
  std::vector<std::uint32_t> root_exact_;
  std::array<std::vector<std::pair<std::string, std::uint32_t>>, 256> root_prefix_;
  std::unordered_map<std::string, std::int32_t> building_ids_;  // used only while building
};

}  // namespace rrg::labelers
