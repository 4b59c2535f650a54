// Tests of the rule-file loader (rule_set.h): syntax, flags, error messages naming file and line,
// missing and unknown files, LabelerOptions::rules_dir, and the stability of identity().
#include "rrg/labelers/rules/rule_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "rrg/chexpert/observations.h"
#include "rrg/core/errors.h"
#include "rrg/labelers/registry.h"
#include "rrg/labelers/rules/rules_data.h"
#include "rrg/labelers/rules/rules_labeler.h"
#include "support/test_support.h"

namespace {

namespace fs = std::filesystem;
using rrg::InputError;
using rrg::chexpert::Label;
using rrg::labelers::embedded_rule_files;
using rrg::labelers::LabelerOptions;
using rrg::labelers::parse_rule_files;
using rrg::labelers::PatternToken;
using rrg::labelers::rule_file_names;
using rrg::labelers::RuleFile;
using rrg::labelers::RuleKind;
using rrg::labelers::RuleSet;

// A minimal valid rule directory: every file present, all empty but `overrides`.
std::vector<RuleFile> files_with(const std::vector<RuleFile>& overrides) {
  std::vector<RuleFile> files;
  for (const std::string& name : rule_file_names()) {
    std::string content = "# empty\n";
    for (const RuleFile& o : overrides) {
      if (o.name == name) content = o.content;
    }
    files.push_back(RuleFile{name, content});
  }
  return files;
}

// The message of the InputError that parsing `content` as file `name` throws ("" if none).
std::string parse_error(const std::string& name, const std::string& content) {
  try {
    parse_rule_files(files_with({{name, content}}), "rules");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void copy_source_rules(const std::string& to) {
  fs::copy(rrg::testing::source_dir() + "/data/rules", to, fs::copy_options::recursive);
}

TEST(RuleSet, ParsesPhrasesPrefixesWildcardsAndFlags) {
  const RuleSet set = parse_rule_files(
      files_with({{"mention/cardiomegaly.txt",
                   "# comment line\n"
                   "cardiomegaly   # trailing comment\n"
                   "\n"
                   "heart _ enlarged\n"
                   "enlarged cardiac contour*\n"
                   "heart failure [uncertain]\n"
                   "heart size [negated-only]\n"
                   "!heart size normal\n"},
                  {"mention/lung_opacity.txt", "X-Ray Opacit* [descriptive] [no-negative]\n"},
                  {"cue/negation_pre.txt", "no\nfree of\n"},
                  {"cue/negation_post.txt", "normal $ [scope=0]\n"}}),
      "rules");
  ASSERT_EQ(set.rules.size(), 10u);
  const auto& cardiomegaly = set.rules[0];
  EXPECT_EQ(cardiomegaly.kind, RuleKind::kMention);
  EXPECT_EQ(cardiomegaly.observation, 1);
  EXPECT_EQ(cardiomegaly.file, "mention/cardiomegaly.txt");
  EXPECT_EQ(cardiomegaly.line, 2u);
  ASSERT_EQ(set.rules[1].pattern.size(), 3u);
  EXPECT_EQ(set.rules[1].pattern[1].type, PatternToken::Type::kAnyWord);
  EXPECT_EQ(set.rules[2].pattern[2].type, PatternToken::Type::kPrefix);
  EXPECT_EQ(set.rules[2].pattern[2].text, "contour");
  EXPECT_TRUE(set.rules[3].uncertain);
  EXPECT_TRUE(set.rules[4].negated_only);
  EXPECT_EQ(set.rules[5].kind, RuleKind::kUnmention);
  EXPECT_EQ(set.rules[5].pattern.size(), 3u);
  // Phrases are tokenized like reports: lower case, hyphen splits.
  const auto& opacity = set.rules[6];
  ASSERT_EQ(opacity.pattern.size(), 3u);
  EXPECT_EQ(opacity.pattern[0].text, "x");
  EXPECT_EQ(opacity.pattern[1].text, "ray");
  EXPECT_TRUE(opacity.descriptive);
  EXPECT_TRUE(opacity.no_negative);
  EXPECT_EQ(set.rules[7].kind, RuleKind::kNegationPre);
  EXPECT_EQ(set.rules[8].pattern.size(), 2u);
  EXPECT_EQ(set.rules[9].kind, RuleKind::kNegationPost);
  EXPECT_EQ(set.rules[9].pattern[1].type, PatternToken::Type::kEnd);
  EXPECT_EQ(set.rules[9].scope, 0);
  EXPECT_EQ(set.rules[8].scope, -1);
  EXPECT_EQ(set.hash.size(), 8u);
}

struct BadFile {
  const char* name;
  const char* file;
  const char* content;
  const char* where;  // expected "file:line" prefix of the message
  const char* what;   // expected part of the message
};

void PrintTo(const BadFile& bad, std::ostream* os) {
  *os << bad.name;
}

class MalformedRuleFile : public ::testing::TestWithParam<BadFile> {};

TEST_P(MalformedRuleFile, NamesFileAndLine) {
  const BadFile& bad = GetParam();
  const std::string message = parse_error(bad.file, bad.content);
  EXPECT_EQ(message.rfind(std::string("rules/") + bad.where, 0), 0u) << message;
  EXPECT_NE(message.find(bad.what), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Syntax, MalformedRuleFile,
    ::testing::Values(
        BadFile{"UnknownFlag", "mention/edema.txt", "edema\nfluid [maybe]\n",
                "mention/edema.txt:2:", "unknown flag [maybe]"},
        BadFile{"FlagOnCue", "cue/negation_pre.txt", "no [uncertain]\n",
                "cue/negation_pre.txt:1:", "only allowed on mention lines"},
        BadFile{"UnmentionInCueFile", "cue/terminator.txt", "but\n!however\n",
                "cue/terminator.txt:2:", "only allowed in mention"},
        BadFile{"FlagOnUnmention", "mention/edema.txt", "!soft tissue edema [uncertain]\n",
                "mention/edema.txt:1:", "only allowed on mention lines"},
        BadFile{"BracketInside", "mention/edema.txt", "edema [uncertain] fluid\n",
                "mention/edema.txt:1:", "at the end of the line"},
        BadFile{"UnmatchedBracket", "mention/edema.txt", "edema]\n",
                "mention/edema.txt:1:", "without a matching"},
        BadFile{"StarInsideWord", "mention/fracture.txt", "\n\nfrac*ture\n",
                "mention/fracture.txt:3:1:", "not a valid prefix"},
        BadFile{"ShortPrefix", "mention/fracture.txt", "rib f*\n",
                "mention/fracture.txt:1:5:", "not a valid prefix"},
        BadFile{"SentenceBoundary", "mention/edema.txt", "edema. fluid\n",
                "mention/edema.txt:1:1:", "sentence boundary"},
        BadFile{"WildcardAtStart", "mention/edema.txt", "_ edema\n",
                "mention/edema.txt:1:", "'_' (any word)"},
        BadFile{"WildcardAtEnd", "cue/pseudo.txt", "no change _\n",
                "cue/pseudo.txt:1:", "'_' (any word)"},
        BadFile{"EndMarkNotLast", "cue/negation_post.txt", "normal $ size\n",
                "cue/negation_post.txt:1:", "'$' (end of clause)"},
        BadFile{"EndMarkAlone", "cue/negation_post.txt", "$\n",
                "cue/negation_post.txt:1:", "'$' (end of clause)"},
        BadFile{"NothingToMatch", "mention/edema.txt", "edema\n--\n",
                "mention/edema.txt:2:1:", "nothing to match"},
        BadFile{"OnlyAFlag", "mention/edema.txt", "[uncertain]\n",
                "mention/edema.txt:1:", "no phrase"},
        BadFile{"ScopeOnMention", "mention/edema.txt", "edema [scope=2]\n",
                "mention/edema.txt:1:", "only allowed on negation and uncertainty cues"},
        BadFile{"ScopeNotANumber", "cue/negation_pre.txt", "normal [scope=x]\n",
                "cue/negation_pre.txt:1:", "N must be a number"},
        BadFile{"ContradictoryFlags", "mention/edema.txt", "edema [negated-only] [no-negative]\n",
                "mention/edema.txt:1:", "exclude each other"},
        BadFile{"StructureWithNegatedOnly", "mention/cardiomegaly.txt",
                "heart [structure] [negated-only]\n",
                "mention/cardiomegaly.txt:1:", "[structure] excludes"},
        BadFile{"StructureOnCue", "cue/uncertainty_post.txt", "stable [structure]\n",
                "cue/uncertainty_post.txt:1:", "only allowed on mention lines"},
        BadFile{"StructureOnlyOnNegation", "cue/negation_post.txt", "normal [structure-only]\n",
                "cue/negation_post.txt:1:", "only allowed on uncertainty cues"},
        BadFile{"StructureOnlyOnMention", "mention/edema.txt", "edema [structure-only]\n",
                "mention/edema.txt:1:", "only allowed on uncertainty cues"},
        BadFile{"NegatableOnPostCue", "cue/uncertainty_post.txt", "if any [negatable]\n",
                "cue/uncertainty_post.txt:1:", "only allowed on uncertainty_pre cues"},
        BadFile{"EvenNegatedOnObservation", "mention/fracture.txt", "fracture [even-negated]\n",
                "mention/fracture.txt:1:", "only allowed in mention/other_finding.txt"}),
    [](const ::testing::TestParamInfo<BadFile>& info) { return std::string(info.param.name); });

TEST(RuleSet, ParsesStructureAndNegatableFlags) {
  const RuleSet set =
      parse_rule_files(files_with({{"mention/cardiomegaly.txt", "heart size [structure]\n"},
                                   {"cue/uncertainty_pre.txt",
                                    "stable [structure-only] [scope=5]\nconcern for [negatable]\n"},
                                   {"cue/uncertainty_post.txt", "unchanged [structure-only]\n"}}),
                       "rules");
  ASSERT_EQ(set.rules.size(), 4u);
  EXPECT_TRUE(set.rules[0].structure);
  EXPECT_FALSE(set.rules[0].negated_only);
  EXPECT_TRUE(set.rules[1].structure_only);
  EXPECT_EQ(set.rules[1].scope, 5);
  EXPECT_TRUE(set.rules[2].negatable);
  EXPECT_FALSE(set.rules[2].structure_only);
  EXPECT_TRUE(set.rules[3].structure_only);
  // The flags are part of the hash: the same phrase without them is another rule set.
  const RuleSet plain =
      parse_rule_files(files_with({{"mention/cardiomegaly.txt", "heart size [negated-only]\n"},
                                   {"cue/uncertainty_pre.txt", "stable [scope=5]\nconcern for\n"},
                                   {"cue/uncertainty_post.txt", "unchanged\n"}}),
                       "rules");
  EXPECT_NE(set.hash, plain.hash);
}

TEST(RuleSet, ParsesEvenNegatedFlag) {
  const RuleSet set = parse_rule_files(
      files_with({{"mention/other_finding.txt", "rib fractur* [even-negated]\nhernia\n"}}),
      "rules");
  ASSERT_EQ(set.rules.size(), 2u);
  EXPECT_TRUE(set.rules[0].even_negated);
  EXPECT_FALSE(set.rules[1].even_negated);
  const RuleSet plain = parse_rule_files(
      files_with({{"mention/other_finding.txt", "rib fractur*\nhernia\n"}}), "rules");
  EXPECT_NE(set.hash, plain.hash);
}

TEST(RuleSet, RejectsMissingAndUnknownFiles) {
  std::vector<RuleFile> files = files_with({});
  files.erase(files.begin());
  try {
    parse_rule_files(files, "lists");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("lists/" + rule_file_names().front()), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
  }
  files = files_with({});
  files.push_back(RuleFile{"mention/cardiomegally.txt", "x\n"});
  try {
    parse_rule_files(files, "lists");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("lists/mention/cardiomegally.txt"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("unknown rule file"), std::string::npos);
  }
}

TEST(RuleSet, EmbeddedListsEqualTheSourceFiles) {
  // The compiled-in lists are exactly data/rules/: loading the source directory gives the same
  // rules and hash, and every expected file is embedded.
  const RuleSet from_dir = rrg::labelers::load_rule_dir(rrg::testing::source_dir() + "/data/rules");
  const RuleSet& embedded = rrg::labelers::embedded_rule_set();
  EXPECT_EQ(from_dir.hash, embedded.hash);
  EXPECT_EQ(from_dir.rules.size(), embedded.rules.size());
  EXPECT_GT(embedded.rules.size(), 300u);
  EXPECT_EQ(embedded_rule_files().size(), rule_file_names().size());
}

TEST(RuleSet, LoadDirReportsMissingDirectoryAndBadLine) {
  EXPECT_THROW(rrg::labelers::load_rule_dir("/nonexistent/rules"), InputError);
  rrg::testing::TempDir dir;
  const std::string root = dir.file("rules");
  copy_source_rules(root);
  rrg::testing::write_file(root + "/cue/terminator.txt", "but\nhowever\nother than [x]\n");
  try {
    rrg::labelers::load_rule_dir(root);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(root + "/cue/terminator.txt:3:", 0), 0u) << e.what();
  }
  fs::remove(root + "/cue/terminator.txt");
  try {
    rrg::labelers::load_rule_dir(root);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cue/terminator.txt: rule file is missing"),
              std::string::npos)
        << e.what();
  }
}

TEST(RulesDir, OverridesTheBuiltInLists) {
  LabelerOptions options;
  const auto builtin = rrg::labelers::make_labeler("rules", options);
  rrg::testing::TempDir dir;
  options.rules_dir = dir.file("rules");
  copy_source_rules(options.rules_dir);
  // Unedited copy: same identity, same labels.
  auto copy = rrg::labelers::make_labeler("rules", options);
  EXPECT_EQ(copy->identity(), builtin->identity());
  // A made-up word added to the fracture list proves that the edited copy is the one in use.
  const std::string text = "Large gizmoplasty of the left lung.";
  EXPECT_EQ(builtin->label({text})[0].labels[11], Label::kBlank);
  rrg::testing::write_file(
      options.rules_dir + "/mention/fracture.txt",
      rrg::testing::read_file(options.rules_dir + "/mention/fracture.txt") + "\ngizmoplasty\n");
  const auto edited = rrg::labelers::make_labeler("rules", options);
  EXPECT_NE(edited->identity(), builtin->identity());
  const auto row = edited->label({text})[0].labels;
  EXPECT_EQ(row[11], Label::kPositive);
  EXPECT_EQ(row[rrg::chexpert::kNoFinding], Label::kBlank);
}

TEST(RulesDir, BadDirectoryIsAnInputError) {
  LabelerOptions options;
  options.rules_dir = "/nonexistent/rules";
  EXPECT_THROW(rrg::labelers::make_labeler("rules", options), InputError);
}

TEST(Identity, IsStableAndTracksPhrasesNotComments) {
  const auto a = rrg::labelers::make_labeler("rules", {});
  const auto b = rrg::labelers::make_labeler("rules", {});
  EXPECT_EQ(a->name(), "rules");
  EXPECT_EQ(a->identity(), b->identity());
  EXPECT_EQ(a->identity().rfind("rules@", 0), 0u);
  EXPECT_EQ(a->identity().size(), std::string("rules@").size() + 8);

  const RuleSet base =
      parse_rule_files(files_with({{"cue/negation_pre.txt", "no\nwithout\n"}}), "r");
  const RuleSet commented = parse_rule_files(
      files_with({{"cue/negation_pre.txt", "# negations\nno   # the commonest\n\n  without\n"}}),
      "r");
  const RuleSet changed =
      parse_rule_files(files_with({{"cue/negation_pre.txt", "no\nwithout\nfree of\n"}}), "r");
  const RuleSet moved =
      parse_rule_files(files_with({{"cue/negation_post.txt", "no\nwithout\n"}}), "r");
  EXPECT_EQ(base.hash, commented.hash);
  EXPECT_NE(base.hash, changed.hash);
  EXPECT_NE(base.hash, moved.hash);
}

}  // namespace
