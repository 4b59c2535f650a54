// Parsing and loading of the rule files (see rule_set.h for the syntax).
//
// Every problem is an rrg::InputError naming the file and line, because the most likely author
// of a broken file is a user extending the lists with LabelerOptions::rules_dir.
#include "rrg/labelers/rules/rule_set.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "rrg/chexpert/label_io.h"
#include "rrg/core/errors.h"
#include "rrg/labelers/rules/report_tokenizer.h"
#include "rrg/labelers/rules/rules_data.h"
#include "rrg/labelers/vocabulary.h"

namespace rrg::labelers {
namespace {

constexpr std::string_view kOtherFindingFile = "mention/other_finding.txt";

struct CueFile {
  std::string_view name;
  RuleKind kind;
};
constexpr CueFile kCueFiles[] = {
    {"cue/negation_pre.txt", RuleKind::kNegationPre},
    {"cue/negation_post.txt", RuleKind::kNegationPost},
    {"cue/uncertainty_pre.txt", RuleKind::kUncertaintyPre},
    {"cue/uncertainty_post.txt", RuleKind::kUncertaintyPost},
    {"cue/terminator.txt", RuleKind::kTerminator},
    {"cue/pseudo.txt", RuleKind::kPseudo},
    {"cue/alternative.txt", RuleKind::kAlternative},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// What a file's lines become: the rule kind and, for mention files, the observation.
struct FileRole {
  RuleKind kind = RuleKind::kMention;
  int observation = -1;
  bool is_mention_file = false;
};

// Every file of a rule directory with its role, in parse order (the order of the rules, and so
// of the hash): the 13 observation files in CheXpert order, other findings, the cue files.
const std::vector<std::pair<std::string, FileRole>>& file_table() {
  static const std::vector<std::pair<std::string, FileRole>> table = [] {
    std::vector<std::pair<std::string, FileRole>> out;
    for (std::size_t i = 0; i < kNumObservations; ++i) {
      if (i == kNoFinding) continue;
      out.emplace_back("mention/" + chexpert::observation_slug(i) + ".txt",
                       FileRole{RuleKind::kMention, static_cast<int>(i), true});
    }
    out.emplace_back(std::string(kOtherFindingFile), FileRole{RuleKind::kOtherFinding, -1, true});
    for (const CueFile& cue : kCueFiles) {
      out.emplace_back(std::string(cue.name), FileRole{cue.kind, -1, false});
    }
    return out;
  }();
  return table;
}

// Parses one whitespace-separated chunk of a phrase into pattern tokens.
void parse_chunk(std::string_view chunk, const std::string& path, std::size_t line,
                 std::size_t column, std::vector<PatternToken>& out) {
  auto fail = [&](const std::string& what) {
    throw InputError(location_message(path, line, column, what));
  };
  if (chunk == "_") {
    out.push_back(PatternToken{PatternToken::Type::kAnyWord, ""});
    return;
  }
  if (chunk == "$") {
    out.push_back(PatternToken{PatternToken::Type::kEnd, ""});
    return;
  }
  if (chunk.find_first_of(".!;") != std::string_view::npos) {
    fail("'" + std::string(chunk) +
         "' contains a sentence boundary ('.', '!' or ';'); a phrase never spans sentences, so "
         "it could never match. Remove the character");
  }
  const std::size_t star = chunk.find('*');
  if (star != std::string_view::npos) {
    const std::vector<std::string> stem = tokenize_phrase(chunk.substr(0, star));
    if (star + 1 != chunk.size() || stem.size() != 1 || stem[0].size() < 2) {
      fail("'" + std::string(chunk) +
           "' is not a valid prefix: write '*' once, at the end of a single word of at least two "
           "letters (e.g. 'opacit*')");
    }
    out.push_back(PatternToken{PatternToken::Type::kPrefix, stem[0]});
    return;
  }
  const std::vector<std::string> tokens = tokenize_phrase(chunk);
  if (tokens.empty()) {
    fail("'" + std::string(chunk) + "' holds nothing to match (no letter, digit or , : / ( ) ?)");
  }
  for (const std::string& token : tokens) {
    out.push_back(PatternToken{PatternToken::Type::kExact, token});
  }
}

void parse_file(const std::string& name, const std::string& content, const FileRole& role,
                const std::string& display_root, std::vector<Rule>& rules) {
  const std::string path = display_root.empty() ? name : display_root + "/" + name;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos <= content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    std::string_view line(content.data() + pos, end - pos);
    ++line_number;
    const std::size_t next = end + 1;
    const std::size_t line_start = pos;
    pos = next;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = trim(line);
    if (line.empty()) {
      if (end == content.size()) break;
      continue;
    }
    auto fail = [&](const std::string& what) {
      throw InputError(location_message(path, line_number, 0, what));
    };
    Rule rule;
    rule.kind = role.kind;
    rule.observation = role.observation;
    rule.file = name;
    rule.line = line_number;
    if (line.front() == '!') {
      if (!role.is_mention_file) {
        fail("'!' (unmention) is only allowed in mention/*.txt files");
      }
      rule.kind = RuleKind::kUnmention;
      line = trim(line.substr(1));
    }
    // Flags, written at the end of the line: "heart failure [uncertain]".
    while (!line.empty() && line.back() == ']') {
      const std::size_t open = line.rfind('[');
      if (open == std::string_view::npos) fail("']' without a matching '['");
      const std::string_view flag = trim(line.substr(open + 1, line.size() - open - 2));
      const bool mention_line =
          rule.kind == RuleKind::kMention || rule.kind == RuleKind::kOtherFinding;
      const bool scoped_cue =
          rule.kind == RuleKind::kNegationPre || rule.kind == RuleKind::kNegationPost ||
          rule.kind == RuleKind::kUncertaintyPre || rule.kind == RuleKind::kUncertaintyPost;
      if (flag.substr(0, 6) == "scope=") {
        if (!scoped_cue) {
          fail("[scope=N] is only allowed on negation and uncertainty cues");
        }
        const std::string_view digits = flag.substr(6);
        if (digits.empty() || digits.size() > 2 ||
            digits.find_first_not_of("0123456789") != std::string_view::npos) {
          fail("[" + std::string(flag) + "]: N must be a number of tokens from 0 to 99");
        }
        rule.scope = std::stoi(std::string(digits));
      } else if (flag == "negatable") {
        if (rule.kind != RuleKind::kUncertaintyPre) {
          fail("[negatable] is only allowed on uncertainty_pre cues");
        }
        rule.negatable = true;
      } else if (flag == "structure-only") {
        if (rule.kind != RuleKind::kUncertaintyPre && rule.kind != RuleKind::kUncertaintyPost) {
          fail("[structure-only] is only allowed on uncertainty cues");
        }
        rule.structure_only = true;
      } else if (flag == "even-negated") {
        if (rule.kind != RuleKind::kOtherFinding) {
          fail("[even-negated] is only allowed in mention/other_finding.txt");
        }
        rule.even_negated = true;
      } else if (flag == "uncertain" || flag == "negated-only" || flag == "no-negative" ||
                 flag == "descriptive" || flag == "structure") {
        if (!mention_line) {
          fail("[" + std::string(flag) +
               "] is only allowed on mention lines (not on cues or '!' unmentions)");
        }
        rule.uncertain = rule.uncertain || flag == "uncertain";
        rule.negated_only = rule.negated_only || flag == "negated-only";
        rule.no_negative = rule.no_negative || flag == "no-negative";
        rule.descriptive = rule.descriptive || flag == "descriptive";
        rule.structure = rule.structure || flag == "structure";
      } else {
        fail("unknown flag [" + std::string(flag) +
             "] (known flags: [uncertain], [negated-only], [no-negative], [descriptive], "
             "[structure] on mentions, [even-negated] on other findings, [scope=N] on negation "
             "and uncertainty cues, "
             "[structure-only] on uncertainty cues, [negatable] on uncertainty_pre cues)");
      }
      line = trim(line.substr(0, open));
    }
    if (line.find('[') != std::string_view::npos || line.find(']') != std::string_view::npos) {
      fail("a flag must be written at the end of the line, like 'heart failure [uncertain]'");
    }
    if (rule.negated_only && rule.no_negative) {
      fail("[negated-only] and [no-negative] exclude each other");
    }
    if (rule.structure && (rule.negated_only || rule.no_negative || rule.uncertain)) {
      fail(
          "[structure] excludes [negated-only], [no-negative] and [uncertain]: a structure "
          "already counts only when negated or called stable");
    }
    if (line.empty()) fail("the line has no phrase");
    // Split on white space; each chunk becomes one or more pattern tokens.
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i >= line.size()) break;
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
      const std::size_t column =
          static_cast<std::size_t>(line.data() - content.data()) - line_start + i + 1;
      parse_chunk(line.substr(i, j - i), path, line_number, column, rule.pattern);
      i = j;
    }
    if (rule.pattern.front().type == PatternToken::Type::kAnyWord ||
        rule.pattern.back().type == PatternToken::Type::kAnyWord) {
      fail("'_' (any word) may only stand between two other tokens of a phrase");
    }
    for (std::size_t k = 0; k < rule.pattern.size(); ++k) {
      if (rule.pattern[k].type == PatternToken::Type::kEnd &&
          (k == 0 || k + 1 != rule.pattern.size())) {
        fail("'$' (end of clause) may only be the last token of a phrase, after a word");
      }
    }
    rules.push_back(std::move(rule));
    if (end == content.size()) break;
  }
}

std::string hash_rules(const std::vector<Rule>& rules) {
  std::string records;
  for (const Rule& rule : rules) {
    records += std::to_string(static_cast<int>(rule.kind)) + ":" +
               std::to_string(rule.observation) + ":" + (rule.uncertain ? "u" : "-") +
               (rule.negated_only ? "n" : "-") + (rule.no_negative ? "p" : "-") +
               (rule.descriptive ? "d" : "-") + (rule.structure ? "s" : "-") +
               (rule.structure_only ? "o" : "-") + (rule.negatable ? "g" : "-") +
               (rule.even_negated ? "e" : "-") + ":" + std::to_string(rule.scope);
    for (const PatternToken& token : rule.pattern) {
      records += '\x1f';
      records += static_cast<char>('0' + static_cast<int>(token.type));
      records += token.text;
    }
    records += '\n';
  }
  return short_hash(records);
}

}  // namespace

const std::vector<std::string>& rule_file_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& entry : file_table()) out.push_back(entry.first);
    return out;
  }();
  return names;
}

RuleSet parse_rule_files(const std::vector<RuleFile>& files, const std::string& display_root) {
  std::map<std::string, const RuleFile*> by_name;
  for (const RuleFile& file : files) by_name[file.name] = &file;
  for (const RuleFile& file : files) {
    const bool known = std::any_of(file_table().begin(), file_table().end(),
                                   [&file](const auto& entry) { return entry.first == file.name; });
    if (!known) {
      throw InputError(location_message(
          display_root + "/" + file.name, 0, 0,
          "unknown rule file; a rule directory holds mention/<observation>.txt (snake case, "
          "e.g. mention/pleural_effusion.txt), mention/other_finding.txt and cue/{negation,"
          "uncertainty}_{pre,post}.txt, cue/terminator.txt, cue/pseudo.txt, cue/alternative.txt"));
    }
  }
  RuleSet set;
  for (const auto& [name, role] : file_table()) {
    const auto found = by_name.find(name);
    if (found == by_name.end()) {
      throw InputError(location_message(
          display_root + "/" + name, 0, 0,
          "rule file is missing; copy it from data/rules/ of the rrg sources (a rule directory "
          "must hold every file of the built-in lists)"));
    }
    parse_file(name, found->second->content, role, display_root, set.rules);
  }
  set.hash = hash_rules(set.rules);
  return set;
}

RuleSet load_rule_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw InputError(dir +
                     ": rules directory does not exist (LabelerOptions::rules_dir / "
                     "--rules-dir expects a copy of data/rules/ from the rrg sources)");
  }
  std::vector<RuleFile> files;
  for (const char* sub : {"mention", "cue"}) {
    const fs::path folder = fs::path(dir) / sub;
    if (!fs::is_directory(folder, error)) continue;
    for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      if (!in) throw InputError(entry.path().string() + ": cannot read rule file");
      std::ostringstream buffer;
      buffer << in.rdbuf();
      files.push_back(
          RuleFile{std::string(sub) + "/" + entry.path().filename().string(), buffer.str()});
    }
  }
  return parse_rule_files(files, dir);
}

std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV offset basis and prime (64-bit FNV-1a)
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string short_hash(std::string_view bytes) {
  const std::uint64_t hash = fnv1a_64(bytes);
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%08x", static_cast<std::uint32_t>(hash ^ (hash >> 32)));
  return buffer;
}

const RuleSet& embedded_rule_set() {
  static const RuleSet set = parse_rule_files(embedded_rule_files(), "data/rules");
  return set;
}

}  // namespace rrg::labelers
