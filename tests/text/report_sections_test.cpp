// MIMIC-CXR section parsing on reports written for this test (no MIMIC text). Each expectation
// was worked out by hand from the rules of MIT-LCP's txt/section_parser.py (header regex
// `\n ([A-Z ()/,-]+):\s`, resume after the header's line, name normalisation, empty
// findings/impression dropped, last_paragraph split at the first "\n \n").
// They were cross-checked once against the reference Python code run with /usr/bin/python3
// (not part of the repository).
#include "rrg/text/report_sections.h"

#include <gtest/gtest.h>

namespace {

using rrg::text::ReportSection;

std::vector<std::string> names(const std::vector<ReportSection>& sections) {
  std::vector<std::string> out;
  for (const auto& s : sections) out.push_back(s.name);
  return out;
}

std::string text_of(const std::vector<ReportSection>& sections, const char* name) {
  return rrg::text::section_text(sections, name).value_or("<none>");
}

TEST(ReportSections, StandardReport) {
  const std::string report =
      "                                 FINAL REPORT\n"
      " EXAMINATION:  CHEST (PA AND LAT)\n \n"
      " INDICATION:  ___ year old man with cough.\n \n"
      " TECHNIQUE:  Chest PA and lateral\n \n"
      " COMPARISON:  None.\n \n"
      " FINDINGS: \n \n The lungs are clear.  No effusion.\n \n"
      " IMPRESSION: \n \n No acute process.\n";
  const auto sections = rrg::text::split_report_sections(report);
  EXPECT_EQ(names(sections),
            (std::vector<std::string>{"preamble", "examination", "indication", "technique",
                                      "comparison", "findings", "impression"}));
  EXPECT_EQ(sections[0].text, "                                 FINAL REPORT\n ");
  EXPECT_EQ(text_of(sections, "indication"), "___ year old man with cough.");
  EXPECT_EQ(text_of(sections, "findings"), "The lungs are clear.  No effusion.");
  EXPECT_EQ(text_of(sections, "impression"), "No acute process.");
  // Raw text keeps the spacing after the one whitespace character the header consumed.
  EXPECT_EQ(sections[2].text, " ___ year old man with cough.\n ");
  const auto chosen = rrg::text::choose_section(sections, rrg::text::default_section_priority());
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->name, "impression");
}

TEST(ReportSections, LastParagraphWhenNoFindingsOrImpression) {
  const std::string report =
      "\n EXAMINATION:  CHEST PORTABLE\n \n"
      " INDICATION:  Line placement.\n \n"
      " COMPARISON:  Yesterday.\n \n Right IJ catheter ends in the SVC. \n \n No pneumothorax.\n";
  const auto sections = rrg::text::split_report_sections(report);
  EXPECT_EQ(names(sections), (std::vector<std::string>{"preamble", "examination", "indication",
                                                       "comparison", "last_paragraph"}));
  EXPECT_EQ(text_of(sections, "comparison"), "Yesterday.");
  EXPECT_EQ(text_of(sections, "last_paragraph"),
            "Right IJ catheter ends in the SVC. \n \n No pneumothorax.");
  const auto chosen = rrg::text::choose_section(sections, rrg::text::default_section_priority());
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->name, "last_paragraph");
}

TEST(ReportSections, TitleHeaderTyposAndConclusion) {
  const std::string report =
      "FINAL REPORT\n CHEST (PA AND LAT):\n \n"
      " INDICATION:  Fever.\n \n"
      " FINDNGS:  Low lung volumes.\n \n"
      " CONCLUSION:  No pneumonia.\n";
  const auto sections = rrg::text::split_report_sections(report);
  // "CHEST (PA AND LAT)" names a findings section, but it is empty and dropped.
  EXPECT_EQ(names(sections),
            (std::vector<std::string>{"preamble", "indication", "findings", "impression"}));
  EXPECT_EQ(text_of(sections, "indication"), "Fever.");
  EXPECT_EQ(text_of(sections, "findings"), "Low lung volumes.");
  EXPECT_EQ(text_of(sections, "impression"), "No pneumonia.");
}

TEST(ReportSections, NoHeadersIsAFullReportSplitAtTheFirstBlankLine) {
  const auto sections = rrg::text::split_report_sections(
      "The heart is normal.\n \n No acute disease.\n \n Follow up advised.");
  EXPECT_EQ(names(sections), (std::vector<std::string>{"full report", "last_paragraph"}));
  EXPECT_EQ(sections[0].text, "The heart is normal.");
  EXPECT_EQ(text_of(sections, "last_paragraph"), "No acute disease.\n \n Follow up advised.");
}

TEST(ReportSections, HeaderOnTheNextLineIsSwallowed) {
  // The parser resumes its search after the end of the line following a header, so a header
  // directly on the next line belongs to the previous section's text.
  const auto sections = rrg::text::split_report_sections("x\n INDICATION:\n IMPRESSION:  Clear.\n");
  EXPECT_EQ(names(sections), (std::vector<std::string>{"preamble", "indication"}));
  EXPECT_EQ(text_of(sections, "indication"), "IMPRESSION:  Clear.");
  EXPECT_FALSE(rrg::text::choose_section(sections, rrg::text::default_section_priority()));
}

TEST(ReportSections, LastSectionOfANameWins) {
  const auto sections = rrg::text::split_report_sections(
      "x\n IMPRESSION:  First.\n \n IMPRESSION:  Second.\n \n FINDINGS:  \n");
  // The trailing FINDINGS is empty and dropped; of the two impressions the last counts.
  EXPECT_EQ(names(sections), (std::vector<std::string>{"preamble", "impression", "impression"}));
  EXPECT_EQ(text_of(sections, "impression"), "Second.");
}

TEST(ReportSections, HeaderNeedsOneWhitespaceAfterTheColon) {
  // U+00A0 is whitespace for Python's \s; a colon directly followed by text is no header.
  auto sections = rrg::text::split_report_sections(
      "x\n FINDINGS:\xC2\xA0"
      "Clear lungs.\n");
  EXPECT_EQ(text_of(sections, "findings"), "Clear lungs.");
  sections = rrg::text::split_report_sections("x\n FINDINGS:Clear lungs.\n");
  EXPECT_EQ(names(sections), (std::vector<std::string>{"full report"}));
  // Lower-case letters are not header characters; neither is a header without the leading space.
  sections = rrg::text::split_report_sections("x\n Findings: a\nFINDINGS: b\n");
  EXPECT_EQ(names(sections), (std::vector<std::string>{"full report"}));
}

TEST(ReportSections, PriorityCanBeChosen) {
  const auto sections =
      rrg::text::split_report_sections("x\n FINDINGS:  Clear.\n \n IMPRESSION:  Normal.\n");
  const auto chosen = rrg::text::choose_section(sections, {"findings", "impression"});
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->name, "findings");
  EXPECT_EQ(chosen->text, "Clear.");
}

struct NameCase {
  const char* raw;
  const char* normalised;
};

class SectionName : public ::testing::TestWithParam<NameCase> {};

TEST_P(SectionName, Normalises) {
  EXPECT_EQ(rrg::text::normalize_section_name(GetParam().raw), GetParam().normalised);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SectionName,
    ::testing::Values(
        NameCase{"FINDINGS", "findings"}, NameCase{" IMPRESSION ", "impression"},
        NameCase{"CONCLUSION", "impression"}, NameCase{"REASON FOR EXAM", "indication"},
        NameCase{"CLINICAL HISTORY", "history"}, NameCase{"FINDINGS AND IMPRESSION", "impression"},
        NameCase{"FINDNGS", "findings"},
        NameCase{"NDICATION", "impression"},  // the reference's own mapping
        NameCase{"IMPRESSION AND RECOMMENDATIONS", "impression"},
        NameCase{"PRIOR COMPARISON STUDY", "comparison"},
        NameCase{"CHEST, PA AND LATERAL", "findings"}, NameCase{"PORTABLE AP", "findings"},
        NameCase{"NOTE", "note"}, NameCase{"RECOMMENDATION(S)", "recommendations"}));

}  // namespace
