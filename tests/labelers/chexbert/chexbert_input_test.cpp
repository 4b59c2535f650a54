// CheXbert's input pipeline without the model (no libtorch needed): preprocessing
// (bert_tokenizer.get_impressions_from_csv), token ids with [CLS]/[SEP] and the 512-token cut
// (bert_tokenizer.tokenize), and the class -> label mapping (label.py save_preds), against
// tests/text/wordpiece_reference.py run by /usr/bin/python3.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "labelers/chexbert/chexbert_fixtures.h"
#include "rrg/labelers/chexbert/chexbert.h"
#include "support/json_lines.h"
#include "support/radiology_reports.h"
#include "support/test_support.h"

namespace rrg::testing {
namespace {

using labelers::chexbert_input_ids;
using labelers::chexbert_preprocess;

std::vector<std::string> texts() {
  std::vector<std::string> out = radiology_reports();
  for (const auto& t : tokenizer_edge_texts()) out.push_back(t);
  std::string long_report = "  Findings:\n";
  for (int i = 0; i < 150; ++i) long_report += "Left lower lobe opacity, likely atelectasis.\n";
  out.push_back(long_report);                    // > 512 tokens
  out.push_back(std::string(509, 'x') + " \t");  // one word: 1 x [UNK]
  std::string exactly;
  for (int i = 0; i < 510; ++i) exactly += "no ";  // 510 pieces: [CLS] + 510 + [SEP] = 512
  out.push_back(exactly);
  out.push_back(exactly + "no");  // 513 ids before the cut
  return out;
}

void expect_matches_reference(const std::string& vocab_path) {
  const auto tokenizer = text::WordPieceTokenizer::from_file(vocab_path);
  const auto all = texts();
  const auto want = run_json_lines(
      {"/usr/bin/python3", source_dir() + "/tests/text/wordpiece_reference.py", vocab_path}, all);
  ASSERT_EQ(want.size(), all.size());
  int truncated = 0, empty = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string clean = chexbert_preprocess(all[i]);
    EXPECT_EQ(clean, want[i]["clean"].get<std::string>()) << "text " << i;
    const auto ids = chexbert_input_ids(tokenizer, clean);
    EXPECT_EQ(std::vector<long>(ids.begin(), ids.end()), want[i]["ids"].get<std::vector<long>>())
        << "text " << i;
    EXPECT_LE(ids.size(), labelers::kChexbertMaxTokens);
    truncated += ids.size() == labelers::kChexbertMaxTokens;
    empty += ids.size() == 2;
  }
  EXPECT_GE(truncated, 3);  // the long report and the 512/513 cases
  EXPECT_GE(empty, 2);      // "" and whitespace-only become [CLS] [SEP]
}

TEST(ChexbertInputTest, MatchesReferenceWithTestVocab) {
  TempDir tmp;
  write_file(tmp.file("vocab.txt"), chexbert_test_vocab());
  expect_matches_reference(tmp.file("vocab.txt"));
}

TEST(ChexbertInputTest, MatchesReferenceWithBertBaseUncasedVocab) {
  const char* env = std::getenv("RRG_BERT_VOCAB");
  const std::string path = env && *env ? env : source_dir() + "/models/vocab.txt";
  if (!file_exists(path)) GTEST_SKIP() << "no bert-base-uncased vocab.txt (models/get_vocab.sh)";
  expect_matches_reference(path);
}

TEST(ChexbertInputTest, PreprocessingRules) {
  EXPECT_EQ(chexbert_preprocess("  a\n\nb\t c\u00a0d\u3000 "), "a b c d");
  EXPECT_EQ(chexbert_preprocess("\n\n"), "");
  EXPECT_EQ(chexbert_preprocess("x\u200by"), "x\u200by");  // zero-width space is not \s
}

TEST(ChexbertInputTest, ClassToLabel) {
  // label.py save_preds: class 0 blank (NaN), 1 -> 1, 2 -> 0, 3 -> -1; argmax takes the first
  // maximum.
  const float blank[] = {3, 1, 1, 1}, pos[] = {0, 5, 1, 1}, neg[] = {0, 1, 5, 1},
              unc[] = {0, 1, 1, 5}, tie[] = {2, 2, 0, 0};
  EXPECT_EQ(labelers::chexbert_label(blank, 4), chexpert::Label::kBlank);
  EXPECT_EQ(labelers::chexbert_label(pos, 4), chexpert::Label::kPositive);
  EXPECT_EQ(labelers::chexbert_label(neg, 4), chexpert::Label::kNegative);
  EXPECT_EQ(labelers::chexbert_label(unc, 4), chexpert::Label::kUncertain);
  EXPECT_EQ(labelers::chexbert_label(tie, 4), chexpert::Label::kBlank);
  const float nf_yes[] = {-1, 2}, nf_no[] = {2, -1};
  EXPECT_EQ(labelers::chexbert_label(nf_yes, 2), chexpert::Label::kPositive);
  EXPECT_EQ(labelers::chexbert_label(nf_no, 2), chexpert::Label::kBlank);
}

}  // namespace
}  // namespace rrg::testing
