// Token trie of the rule-based labeler (see phrase_matcher.h).
#include "rrg/labelers/rules/phrase_matcher.h"

#include <algorithm>
#include <cstring>

namespace rrg::labelers {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// Hash of the vocabulary table: eight bytes per multiply instead of FNV-1a's one, which made
// every token wait on a chain of one multiply per byte. Internal to the table (the rule set's
// identity keeps fnv1a_64).
std::uint64_t word_hash(std::string_view word) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ word.size();
  std::size_t i = 0;
  for (; i + 8 <= word.size(); i += 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, word.data() + i, 8);
    h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < word.size(); ++k) {
    tail |= std::uint64_t{static_cast<unsigned char>(word[i + k])} << (8 * k);
  }
  h = (h ^ tail) * 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

// A token that ends a phrase's clause for "$" besides a sentence end: "," ":" ")".
bool ends_clause(const ReportToken& token) {
  return token.kind == TokenKind::kPunct &&
         (token.text[0] == ',' || token.text[0] == ':' || token.text[0] == ')');
}

}  // namespace

// Equality of two short words without a call into memcmp (tokens are a few bytes long).
bool same_word(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

std::int32_t PhraseMatcher::find_word(std::string_view word) const {
  if (slots_.empty()) return -1;
  const std::uint64_t hash = word_hash(word);
  const std::uint64_t tag = hash & 0xFFFFFFFF00000000ull;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const std::uint64_t entry = slots_[slot];
    if (entry == 0) return -1;
    if ((entry & 0xFFFFFFFF00000000ull) != tag) continue;
    const auto id = static_cast<std::int32_t>((entry & 0xFFFFFFFFu) - 1);
    if (same_word(words_[static_cast<std::size_t>(id)], word)) return id;
  }
}

std::int32_t PhraseMatcher::intern(const std::string& word) {
  const auto inserted = building_ids_.emplace(word, static_cast<std::int32_t>(words_.size()));
  if (inserted.second) words_.push_back(word);
  return inserted.first->second;
}

std::uint32_t PhraseMatcher::child(std::uint32_t node, const PatternToken& token) {
  auto new_node = [this] {
    nodes_.emplace_back();
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  };
  switch (token.type) {
    case PatternToken::Type::kExact: {
      const std::int32_t id = intern(token.text);
      for (const auto& edge : nodes_[node].exact) {
        if (edge.first == id) return edge.second;
      }
      const std::uint32_t next = new_node();
      nodes_[node].exact.emplace_back(id, next);
      return next;
    }
    case PatternToken::Type::kPrefix: {
      for (const auto& edge : nodes_[node].prefix) {
        if (edge.first == token.text) return edge.second;
      }
      const std::uint32_t next = new_node();
      nodes_[node].prefix.emplace_back(token.text, next);
      return next;
    }
    case PatternToken::Type::kAnyWord:
      if (nodes_[node].any == 0) {
        const std::uint32_t next = new_node();
        nodes_[node].any = next;
      }
      return nodes_[node].any;
    case PatternToken::Type::kEnd:
      if (nodes_[node].end == 0) {
        const std::uint32_t next = new_node();
        nodes_[node].end = next;
      }
      return nodes_[node].end;
  }
  return 0;
}

PhraseMatcher::PhraseMatcher(const std::vector<Rule>& rules) {
  nodes_.emplace_back();
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    std::uint32_t node = 0;
    for (const PatternToken& token : rules[r].pattern) node = child(node, token);
    nodes_[node].rules.push_back(r);
  }
  building_ids_.clear();
  for (Node& node : nodes_) std::sort(node.exact.begin(), node.exact.end());
  // Vocabulary hash table at most half full.
  std::size_t capacity = 16;
  while (capacity < words_.size() * 2) capacity *= 2;
  slots_.assign(capacity, 0);
  for (std::int32_t id = 0; id < static_cast<std::int32_t>(words_.size()); ++id) {
    const std::uint64_t hash = word_hash(words_[static_cast<std::size_t>(id)]);
    std::size_t slot = hash & (capacity - 1);
    while (slots_[slot] != 0) slot = (slot + 1) & (capacity - 1);
    slots_[slot] = (hash & 0xFFFFFFFF00000000ull) | static_cast<std::uint64_t>(id + 1);
  }
  root_exact_.assign(words_.size(), 0);
  for (const auto& edge : nodes_[0].exact) {
    root_exact_[static_cast<std::size_t>(edge.first)] = edge.second;
  }
  for (const auto& edge : nodes_[0].prefix) {
    root_prefix_[static_cast<unsigned char>(edge.first[0])].push_back(edge);
  }
}

void PhraseMatcher::lookup_ids(const TokenizedReport& report,
                               std::vector<std::int32_t>& ids) const {
  ids.resize(report.tokens.size());
  for (std::size_t i = 0; i < report.tokens.size(); ++i) ids[i] = find_word(report.tokens[i].text);
}

void PhraseMatcher::walk(const TokenizedReport& report, const std::vector<std::int32_t>& ids,
                         std::uint32_t node_index, std::uint32_t begin, std::uint32_t pos,
                         std::vector<PhraseMatch>& out) const {
  const Node& node = nodes_[node_index];
  for (std::uint32_t rule : node.rules) out.push_back(PhraseMatch{rule, begin, pos});
  const bool clause_ends = pos >= report.tokens.size() ||
                           report.tokens[pos].sentence != report.tokens[begin].sentence ||
                           ends_clause(report.tokens[pos]);
  if (node.end != 0 && clause_ends) {
    for (std::uint32_t rule : nodes_[node.end].rules) out.push_back(PhraseMatch{rule, begin, pos});
  }
  if (pos >= report.tokens.size()) return;
  const ReportToken& token = report.tokens[pos];
  if (token.sentence != report.tokens[begin].sentence) return;
  const std::int32_t id = ids[pos];
  if (id >= 0 && !node.exact.empty()) {
    const auto found =
        std::lower_bound(node.exact.begin(), node.exact.end(), std::make_pair(id, 0U));
    if (found != node.exact.end() && found->first == id) {
      walk(report, ids, found->second, begin, pos + 1, out);
    }
  }
  for (const auto& edge : node.prefix) {
    if (starts_with(token.text, edge.first)) walk(report, ids, edge.second, begin, pos + 1, out);
  }
  if (node.any != 0 && token.kind != TokenKind::kPunct) {
    walk(report, ids, node.any, begin, pos + 1, out);
  }
}

void PhraseMatcher::match_at(const TokenizedReport& report, const std::vector<std::int32_t>& ids,
                             std::uint32_t begin, std::vector<PhraseMatch>& out) const {
  if (begin >= report.tokens.size()) return;
  const ReportToken& token = report.tokens[begin];
  const std::int32_t id = ids[begin];
  if (id >= 0) {
    const std::uint32_t next = root_exact_[static_cast<std::size_t>(id)];
    if (next != 0) walk(report, ids, next, begin, begin + 1, out);
  }
  if (!token.text.empty()) {
    for (const auto& edge : root_prefix_[static_cast<unsigned char>(token.text[0])]) {
      if (starts_with(token.text, edge.first))
        walk(report, ids, edge.second, begin, begin + 1, out);
    }
  }
}

}  // namespace rrg::labelers
